/* Where the built-in plugins, lib/ and templates live: the source tree when
 * nianbao runs from its build directory, else the installed data directory
 * ($NIANBAO_DATA_DIR overrides both). */
#ifndef NB_DATA_DIR_H
#define NB_DATA_DIR_H

const char *nb_data_dir(void);

#endif
