/**
 * @file btclint.h
 * @brief The public API of libbtclint: read BizTalk configuration exports.
 *
 * The types are opaque: a program that embeds btclint sees what an export
 * is called and whether it could be read, never the model's layout, so the
 * model can change without breaking it. The command-line tool is built on
 * the same calls.
 */
#ifndef BTCLINT_BTCLINT_H
#define BTCLINT_BTCLINT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest export accepted unless btc_parse_limits::max_size says otherwise. */
#define BTC_DEFAULT_MAX_SIZE ((size_t)16 * 1024 * 1024)
/** Deepest element nesting accepted unless btc_parse_limits::max_depth says otherwise. */
#define BTC_MAX_DEPTH 256

/** One parsed configuration export (only its active content). */
typedef struct btc_export btc_export;

/**
 * Why something could not be done, and where in the input (line and column
 * are 0 when there is no place). The caller owns it; failing calls fill it in.
 */
typedef struct btc_error {
	int line;
	int column;
	char message[512];
} btc_error;

/** Limits on untrusted input; zero fields take the defaults above. */
typedef struct btc_parse_limits {
	size_t max_size;
	int max_depth;
} btc_parse_limits;

/**
 * Parses the export at @p path.
 *
 * The parser never touches the network, refuses any document type
 * declaration before reading it, and never expands an entity. UTF-8 (with or
 * without BOM) and UTF-16 with BOM are accepted, with LF or CRLF.
 *
 * @param out    on success, a new export the caller frees with btc_export_free()
 * @param path   the file to read
 * @param limits size and depth limits, or NULL for the defaults
 * @param err    filled in on failure, may be NULL
 * @return 0, or -1 when the file is unreadable, not well-formed, carries a
 *         document type declaration, or exceeds a limit
 */
int btc_export_load(btc_export **out, const char *path, const btc_parse_limits *limits, btc_error *err);

/**
 * The same as btc_export_load() for bytes already in memory; @p path only
 * names them in messages.
 */
int btc_export_parse_memory(btc_export **out, const char *path, const char *data, size_t len,
			    const btc_parse_limits *limits, btc_error *err);

/** Frees an export; NULL is accepted. */
void btc_export_free(btc_export *e);

#ifdef __cplusplus
}
#endif

#endif
