/* Reading an export file into the model: the public calls of
 * <btclint/btclint.h>, which the rest of the library sees with the model's
 * layout (export/model.h). */
#ifndef BTC_EXPORT_PARSE_H
#define BTC_EXPORT_PARSE_H

#include <btclint/btclint.h>

#include "export/model.h"
#include "util/error.h"

#endif
