#include "report/json_stream.h"

#include <stdlib.h>
#include <string.h>

#define FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)
/* Stands where the array goes. In the dump it reads \u0001...\u0001; a string
 * from an export holding those characters is dumped as \\u0001, and a quote
 * inside a string follows a backslash, so the search below cannot match a
 * value (it wants the key's quote after indentation). */
#define PLACEHOLDER "\001btclint-array\001"

static int spaces(FILE *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (fputc(' ', out) == EOF)
			return -1;
	}
	return 0;
}

/* text, with every line after the first indented by `indent` more spaces.
 * A dump's newlines are all between tokens: inside strings they are \n. */
static int write_indented(FILE *out, const char *text, size_t indent)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (fputc(*p, out) == EOF)
			return -1;
		if (*p == '\n' && spaces(out, indent) < 0)
			return -1;
	}
	return 0;
}

/* Where `"key": "PLACEHOLDER"` stands in dump, and the indentation of its
 * line; NULL when it is not there. */
static const char *find_member(const char *dump, const char *key, size_t *indent)
{
	char *wanted = NULL;
	size_t len = strlen(key) + 32;
	const char *at = NULL;

	if ((wanted = malloc(len)) == NULL)
		return NULL;
	snprintf(wanted, len, "\"%s\": \"\\u0001btclint-array\\u0001\"", key);
	for (const char *p = strstr(dump, wanted); p != NULL; p = strstr(p + 1, wanted)) {
		const char *line = p;
		while (line > dump && line[-1] == ' ')
			line--;
		if (line == dump || line[-1] == '\n') {
			at = p;
			*indent = (size_t)(p - line);
			break;
		}
	}
	free(wanted);
	return at;
}

int btc_json_write_streamed(FILE *out, json_t *root, json_t *parent, const char *key, size_t n, btc_json_item item,
			    void *ctx)
{
	char *dump = NULL;
	size_t indent = 0;
	int rc = -1;

	if (json_object_set_new(parent, key, json_string(PLACEHOLDER)) < 0 || (dump = json_dumps(root, FLAGS)) == NULL)
		goto done;
	const char *at = find_member(dump, key, &indent);
	if (at == NULL)
		goto done;
	const char *value = strchr(at + strlen(key) + 2, '"'); /* the placeholder's opening quote */
	const char *rest = strchr(value + 1, '"') + 1;
	if (fwrite(dump, 1, (size_t)(value - dump), out) != (size_t)(value - dump) || fputc('[', out) == EOF)
		goto done;
	size_t written = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *element = NULL;
		if (item(ctx, i, &element) < 0)
			goto done;
		if (element == NULL)
			continue;
		char *text = json_dumps(element, FLAGS);
		json_decref(element);
		/* Each element on its own line, one level deeper than the key. */
		int wrc = text == NULL || (written > 0 && fputc(',', out) == EOF) || fputc('\n', out) == EOF ||
			  spaces(out, indent + 2) < 0 || write_indented(out, text, indent + 2) < 0;
		free(text);
		if (wrc)
			goto done;
		written++;
	}
	if (written > 0 && (fputc('\n', out) == EOF || spaces(out, indent) < 0))
		goto done;
	if (fputc(']', out) == EOF || fputs(rest, out) == EOF || fputc('\n', out) == EOF)
		goto done;
	rc = ferror(out) ? -1 : 0;
done:
	free(dump);
	return rc;
}
