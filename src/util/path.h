/* Paths as reports and baselines name them. A CI runs on Linux and on
 * Windows agents, and SARIF wants forward slashes: one spelling for all. */
#ifndef BTC_UTIL_PATH_H
#define BTC_UTIL_PATH_H

#include <stdbool.h>

/* A malloc'd copy of path with '\' turned into '/', "//" collapsed and
 * leading "./" removed ("./farm\\BTS01.xml" -> "farm/BTS01.xml"). NULL when
 * out of memory. The caller frees it. */
char *btc_path_portable(const char *path);

/* True for "/x", "C:/x", "C:\\x" and "\\\\server\\share". */
bool btc_path_is_absolute(const char *path);

#endif
