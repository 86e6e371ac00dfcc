/* See errno_zh.h. */
#include "base/errno_zh.h"
#include <errno.h>
#include <stdio.h>

const char *nb_errno_zh(int e)
{
    switch (e) {
    case ENOENT: return "文件或目录不存在";
    case EACCES: return "没有权限";
    case EPERM: return "操作不被允许";
    case EISDIR: return "这是一个目录";
    case ENOTDIR: return "路径中有一段不是目录";
    case ENOSPC: return "磁盘已满";
    case EDQUOT: return "超出磁盘配额";
    case EROFS: return "文件系统只读";
    case EIO: return "输入输出错误";
    case ENAMETOOLONG: return "文件名太长";
    case EMFILE:
    case ENFILE: return "打开的文件太多";
    case ENOMEM: return "内存不足";
    case EEXIST: return "文件已存在";
    case EBUSY: return "设备或资源忙";
    case EXDEV: return "不能跨文件系统改名";
    case EPIPE: return "管道已关闭";
    case ELOOP: return "符号链接层数太多";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "系统错误 %d", e);
        return buf;
    }
    }
}
