#ifndef WEIR_CLIBPQ_SHIM_H
#define WEIR_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
