#include "report/json_stream.h"

#include <stdlib.h>
#include <string.h>

#define FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)
#define MAX_ARRAYS 8
/* Stands where array K goes: \001btclint-array-K\001, which the dump writes
 * as \u0001btclint-array-K\u0001. A string from an export may hold the same
 * characters, but inside a dumped string every quote follows a backslash,
 * so `"key": "..."` right after a line's indentation can only be the member
 * itself. */
#define PLACEHOLDER "\001btclint-array-%zu\001"
#define PLACEHOLDER_DUMPED "\"%s\": \"\\u0001btclint-array-%zu\\u0001\""

static int spaces(FILE *out, size_t n)
{
	static const char blank[] = "                                ";
	while (n > 0) {
		size_t chunk = n < sizeof(blank) - 1 ? n : sizeof(blank) - 1; /* not its NUL */
		if (fwrite(blank, 1, chunk, out) != chunk)
			return -1;
		n -= chunk;
	}
	return 0;
}

/* text, with every line after the first indented by `indent` more spaces.
 * A dump's newlines are all between tokens: inside strings they are \n. */
static int write_indented(FILE *out, const char *text, size_t indent)
{
	for (;;) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) + 1 : strlen(text);
		if (fwrite(text, 1, len, out) != len)
			return -1;
		if (nl == NULL)
			return 0;
		if (spaces(out, indent) < 0)
			return -1;
		text = nl + 1;
	}
}

/* Where array k's member stands in the dump. */
typedef struct place {
	const btc_json_array *array;
	const char *value; /* the placeholder's opening quote */
	const char *rest;  /* just after its closing quote */
	size_t indent;     /* of the member's line */
} place;

/* Finds `"key": "PLACEHOLDER k"` in dump, at the start of a line. */
static int find_member(const char *dump, const btc_json_array *a, size_t k, place *at)
{
	char wanted[256];
	if (snprintf(wanted, sizeof(wanted), PLACEHOLDER_DUMPED, a->key, k) >= (int)sizeof(wanted))
		return -1;
	for (const char *p = strstr(dump, wanted); p != NULL; p = strstr(p + 1, wanted)) {
		const char *line = p;
		while (line > dump && line[-1] == ' ')
			line--;
		if (line == dump || line[-1] == '\n') {
			at->array = a;
			at->indent = (size_t)(p - line);
			at->value = p + strlen(a->key) + 4; /* after "key": and the space */
			at->rest = p + strlen(wanted);
			return 0;
		}
	}
	return -1;
}

/* The array's elements, one level deeper than its member. */
static int write_array(FILE *out, const place *at)
{
	const btc_json_array *a = at->array;
	size_t written = 0;

	if (fputc('[', out) == EOF)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		json_t *element = NULL;
		if (a->item(a->ctx, i, &element) < 0)
			return -1;
		if (element == NULL)
			continue;
		char *text = json_dumps(element, FLAGS);
		json_decref(element);
		int bad = text == NULL || (written > 0 && fputc(',', out) == EOF) || fputc('\n', out) == EOF ||
			  spaces(out, at->indent + 2) < 0 || write_indented(out, text, at->indent + 2) < 0;
		free(text);
		if (bad)
			return -1;
		written++;
	}
	if (written > 0 && (fputc('\n', out) == EOF || spaces(out, at->indent) < 0))
		return -1;
	return fputc(']', out) == EOF ? -1 : 0;
}

int btc_json_write_streamed(FILE *out, json_t *root, const btc_json_array *arrays, size_t n_arrays)
{
	place places[MAX_ARRAYS];
	char *dump = NULL;
	int rc = -1;

	if (n_arrays > MAX_ARRAYS)
		return -1;
	for (size_t k = 0; k < n_arrays; k++) {
		char placeholder[48];
		snprintf(placeholder, sizeof(placeholder), PLACEHOLDER, k);
		if (json_object_set_new(arrays[k].parent, arrays[k].key, json_string(placeholder)) < 0)
			return -1;
	}
	if ((dump = json_dumps(root, FLAGS)) == NULL)
		return -1;
	for (size_t k = 0; k < n_arrays; k++) {
		if (find_member(dump, &arrays[k], k, &places[k]) < 0)
			goto done;
	}
	/* In the order they stand in the document. */
	for (size_t k = 1; k < n_arrays; k++) {
		for (size_t j = k; j > 0 && places[j].value < places[j - 1].value; j--) {
			place t = places[j];
			places[j] = places[j - 1];
			places[j - 1] = t;
		}
	}
	const char *cursor = dump;
	for (size_t k = 0; k < n_arrays; k++) {
		size_t len = (size_t)(places[k].value - cursor);
		if (fwrite(cursor, 1, len, out) != len || write_array(out, &places[k]) < 0)
			goto done;
		cursor = places[k].rest;
	}
	if (fputs(cursor, out) == EOF || fputc('\n', out) == EOF)
		goto done;
	rc = ferror(out) ? -1 : 0;
done:
	free(dump);
	return rc;
}
