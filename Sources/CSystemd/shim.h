#ifndef HASCALE_CSYSTEMD_SHIM_H
#define HASCALE_CSYSTEMD_SHIM_H
// libsystemd's service-manager and journal APIs (libsystemd-dev).
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
