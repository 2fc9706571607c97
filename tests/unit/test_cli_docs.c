/* The rule table and docs/rules agree: every rule has a page, every page a
 * rule, and each page opens with the rule's ID, title and severity. Checked
 * both on the pages embedded in the binary (what `explain` and SARIF show)
 * and on the source directory (a page added since the last configure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "rules/docs.h"
#include "rules/rules.h"

static void test_every_rule_has_a_page(void **state)
{
	(void)state;
	int missing = 0;
	for (size_t i = 0; i < btc_rule_count; i++) {
		if (btc_rule_doc_find(btc_rules[i].id) == NULL) {
			print_error("rule %s has no docs/rules/%s.md\n", btc_rules[i].id, btc_rules[i].id);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

static void test_every_page_has_a_rule(void **state)
{
	(void)state;
	int orphans = 0;
	for (size_t i = 0; i < btc_rule_doc_count; i++) {
		if (btc_rule_find(btc_rule_docs[i].id) == NULL) {
			print_error("docs/rules/%s.md names no rule of the table\n", btc_rule_docs[i].id);
			orphans++;
		}
	}
	assert_int_equal(orphans, 0);
}

/* The source directory, not only what was embedded at configure time. */
static void test_source_pages_match_the_table(void **state)
{
	(void)state;
	DIR *dir = opendir(BTC_SOURCE_DIR "/docs/rules");
	assert_non_null(dir);
	size_t pages = 0;
	int orphans = 0;
	struct dirent *d;
	while ((d = readdir(dir)) != NULL) {
		size_t n = strlen(d->d_name);
		if (n < 4 || strcmp(d->d_name + n - 3, ".md") != 0)
			continue;
		char id[64];
		snprintf(id, sizeof(id), "%.*s", (int)(n - 3), d->d_name);
		const btc_rule *r = btc_rule_find(id);
		if (r == NULL || strcmp(r->id, id) != 0) {
			print_error("docs/rules/%s names no rule of the table (IDs are upper case)\n", d->d_name);
			orphans++;
		}
		pages++;
	}
	closedir(dir);
	assert_int_equal(orphans, 0);
	assert_int_equal(pages, btc_rule_count);
}

/* "# ID: Title" then "Severity: sev · Data: D": what people read matches
 * what the table (and so `rules`, SARIF) says. */
static void test_pages_open_with_id_title_severity(void **state)
{
	(void)state;
	int wrong = 0;
	for (size_t i = 0; i < btc_rule_count; i++) {
		const btc_rule *r = &btc_rules[i];
		const char *doc = btc_rule_doc_find(r->id);
		if (doc == NULL)
			continue; /* reported by test_every_rule_has_a_page */
		char heading[256], severity[64];
		snprintf(heading, sizeof(heading), "# %s: %s\n", r->id, r->title);
		snprintf(severity, sizeof(severity), "\nSeverity: %s", btc_severity_name(r->severity));
		if (strncmp(doc, heading, strlen(heading)) != 0) {
			print_error("docs/rules/%s.md must start with \"# %s: %s\"\n", r->id, r->id, r->title);
			wrong++;
		}
		if (strstr(doc, severity) == NULL) {
			print_error("docs/rules/%s.md must say \"Severity: %s\"\n", r->id,
			            btc_severity_name(r->severity));
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

static void test_ids_unique_and_well_formed(void **state)
{
	(void)state;
	for (size_t i = 0; i < btc_rule_count; i++) {
		const char *id = btc_rules[i].id;
		assert_int_equal(strlen(id), 6);
		for (int k = 0; k < 3; k++)
			assert_true(id[k] >= 'A' && id[k] <= 'Z');
		for (int k = 3; k < 6; k++)
			assert_true(id[k] >= '0' && id[k] <= '9');
		for (size_t j = i + 1; j < btc_rule_count; j++)
			assert_string_not_equal(id, btc_rules[j].id);
		const btc_rule *r = &btc_rules[i];
		assert_int_equal((r->check_export != NULL) + (r->check_farm != NULL) + (r->stream != NULL), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_rule_has_a_page),
	    cmocka_unit_test(test_every_page_has_a_rule),
	    cmocka_unit_test(test_source_pages_match_the_table),
	    cmocka_unit_test(test_pages_open_with_id_title_severity),
	    cmocka_unit_test(test_ids_unique_and_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
