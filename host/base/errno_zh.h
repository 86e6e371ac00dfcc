/* The system's reason for a failed file operation, in Chinese: strerror
 * speaks the C locale's English. */
#ifndef NB_ERRNO_ZH_H
#define NB_ERRNO_ZH_H

/* A Chinese phrase for errno e (static), with the number for rare ones. */
const char *nb_errno_zh(int e);

#endif
