#include "rules/baseline.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/path.h"
#include "util/text.h"
#include "version.h"

#define BASELINE_VERSION 1

typedef struct entry {
	const char *rule;
	const char *path;
	const char *subject; /* NULL when the finding has none */
	json_int_t count;
} entry;

struct btc_baseline {
	json_t *root; /* owns the strings of entries */
	entry *entries;
	size_t n;
};

void btc_baseline_free(btc_baseline *b)
{
	if (b == NULL)
		return;
	json_decref(b->root);
	free(b->entries);
	free(b);
}

int btc_baseline_load(btc_baseline **out, const char *path, btc_error *err)
{
	json_error_t jerr;
	btc_baseline *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL) {
		btc_error_set(err, 0, 0, "out of memory");
		return -1;
	}
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) {
		btc_error_set(err, 0, 0, "cannot open the baseline: %s", strerror(errno));
		goto fail;
	}
	b->root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	fclose(fp);
	if (b->root == NULL) {
		btc_error_set(err, jerr.line > 0 ? jerr.line : 0, jerr.column > 0 ? jerr.column : 0,
		              "not a baseline: invalid JSON: %s", jerr.text);
		goto fail;
	}
	json_t *version = json_object_get(b->root, "version");
	json_t *findings = json_object_get(b->root, "findings");
	if (!json_is_object(b->root) || !json_is_integer(version) || !json_is_array(findings)) {
		btc_error_set(err, 0, 0,
		              "not a baseline: expected an object with \"version\" and \"findings\" "
		              "(write one with --write-baseline)");
		goto fail;
	}
	if (json_integer_value(version) != BASELINE_VERSION) {
		btc_error_set(err, 0, 0, "baseline version %lld is not supported (this btclint writes version %d)",
		              (long long)json_integer_value(version), BASELINE_VERSION);
		goto fail;
	}
	b->n = json_array_size(findings);
	b->entries = calloc(b->n ? b->n : 1, sizeof(*b->entries));
	if (b->entries == NULL) {
		btc_error_set(err, 0, 0, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < b->n; i++) {
		json_t *o = json_array_get(findings, i);
		json_t *rule = json_object_get(o, "rule");
		json_t *fpath = json_object_get(o, "path");
		json_t *subject = json_object_get(o, "subject");
		json_t *count = json_object_get(o, "count");
		if (!json_is_object(o) || !json_is_string(rule) || !json_is_string(fpath) ||
		    !(subject == NULL || json_is_null(subject) || json_is_string(subject)) ||
		    !(count == NULL || (json_is_integer(count) && json_integer_value(count) >= 1))) {
			btc_error_set(err, 0, 0,
			              "not a baseline: findings[%zu] needs \"rule\" and \"path\" strings, "
			              "\"subject\" a string or null, \"count\" a positive integer",
			              i);
			goto fail;
		}
		b->entries[i] = (entry){.rule = json_string_value(rule),
		                        .path = json_string_value(fpath),
		                        .subject = json_is_string(subject) ? json_string_value(subject) : NULL,
		                        .count = count ? json_integer_value(count) : 1};
	}
	*out = b;
	return 0;
fail:
	btc_baseline_free(b);
	return -1;
}

static bool same_subject(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

long btc_baseline_apply(const btc_baseline *b, btc_findings *f)
{
	json_int_t *left = calloc(b->n ? b->n : 1, sizeof(*left));
	long marked = 0;
	if (left == NULL)
		return -1;
	for (size_t k = 0; k < b->n; k++)
		left[k] = b->entries[k].count;

	for (size_t i = 0; i < f->count; i++) {
		btc_finding *x = &f->items[i];
		if (x->suppressed || x->path == NULL)
			continue;
		char *path = btc_path_portable(x->path);
		if (path == NULL) {
			free(left);
			return -1;
		}
		for (size_t k = 0; k < b->n; k++) {
			const entry *e = &b->entries[k];
			if (left[k] > 0 && btc_ieq(e->rule, x->rule) && strcmp(e->path, path) == 0 &&
			    same_subject(e->subject, x->subject)) {
				left[k]--;
				x->baselined = true;
				marked++;
				break;
			}
		}
		free(path);
	}
	free(left);
	return marked;
}

static int compare_entries(const void *pa, const void *pb)
{
	const entry *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c == 0)
		c = strcmp(a->rule, b->rule);
	if (c == 0 && !same_subject(a->subject, b->subject)) {
		if (a->subject == NULL || b->subject == NULL)
			return a->subject == NULL ? -1 : 1;
		c = strcmp(a->subject, b->subject);
	}
	return c;
}

int btc_baseline_write(const char *path, const btc_findings *f, btc_error *err)
{
	entry *entries = calloc(f->count ? f->count : 1, sizeof(*entries));
	char **paths = calloc(f->count ? f->count : 1, sizeof(*paths));
	json_t *root = NULL;
	size_t n = 0;
	int rc = -1;

	if (entries == NULL || paths == NULL)
		goto oom;
	for (size_t i = 0; i < f->count; i++) {
		const btc_finding *x = &f->items[i];
		if (x->suppressed || x->path == NULL)
			continue;
		if ((paths[n] = btc_path_portable(x->path)) == NULL)
			goto oom;
		entries[n] = (entry){.rule = x->rule, .path = paths[n], .subject = x->subject, .count = 1};
		n++;
	}
	/* Sorted and merged, so that the file diffs well under version control. */
	qsort(entries, n, sizeof(*entries), compare_entries);
	json_t *arr = json_array();
	root = json_pack("{s:i, s:{s:s, s:s}, s:o}", "version", BASELINE_VERSION, "tool", "name", "btclint", "version",
	                 BTC_VERSION, "findings", arr);
	if (root == NULL)
		goto oom;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && compare_entries(&entries[i], &entries[j]) == 0)
			j++;
		json_t *o = json_pack("{s:s, s:s, s:o, s:I}", "rule", entries[i].rule, "path", entries[i].path,
		                      "subject", entries[i].subject ? json_string(entries[i].subject) : json_null(),
		                      "count", (json_int_t)(j - i));
		if (o == NULL || json_array_append_new(arr, o) < 0)
			goto oom;
		i = j;
	}
	errno = 0;
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
		btc_error_set(err, 0, 0, "cannot write the baseline: %s", errno ? strerror(errno) : "write failed");
		goto done;
	}
	rc = 0;
	goto done;
oom:
	btc_error_set(err, 0, 0, "out of memory");
done:
	json_decref(root);
	for (size_t i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
	free(entries);
	return rc;
}
