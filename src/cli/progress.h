/* A one-line progress indicator on stderr while many exports are read.
 * Drawn only on a terminal: redirected or piped stderr gets nothing, so logs
 * and CI output stay exactly as without it. */
#ifndef BTC_CLI_PROGRESS_H
#define BTC_CLI_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

/* Fewer files than this read too fast for an indicator to help. */
#define BTC_PROGRESS_MIN_FILES 50

typedef struct btc_progress {
	FILE *out;    /* NULL when disabled */
	size_t total; /* files expected */
	size_t done;  /* files started */
	int shown;    /* percentage last drawn, -1 before the first */
	int width;    /* characters of the last line drawn */
} btc_progress;

/* Enables the indicator when out is a terminal and more than
 * BTC_PROGRESS_MIN_FILES files are expected; draws nothing yet. */
void btc_progress_begin(btc_progress *p, FILE *out, size_t total);
/* One more file is being read: redraws the line when the percentage moved. */
void btc_progress_step(btc_progress *p);
/* Erases the line, so that the report starts on a clean terminal. */
void btc_progress_end(btc_progress *p);

#endif
