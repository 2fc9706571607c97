/* The public header stands alone: a program that includes only
 * <btclint/btclint.h> can read an export and learn why one was refused. */
#include <btclint/btclint.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void test_load_sample(void **state)
{
	(void)state;
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(0, btc_export_load(&e, BTC_SOURCE_DIR "/samples/exports/BTS01-good.xml", NULL, &err));
	assert_non_null(e);
	btc_export_free(e);
	btc_export_free(NULL);
}

static void test_refusal_is_explained(void **state)
{
	(void)state;
	static const char doc[] = "<!DOCTYPE x [<!ENTITY a \"b\">]><Configuration>&a;</Configuration>";
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(-1, btc_export_parse_memory(&e, "x.xml", doc, strlen(doc), NULL, &err));
	assert_null(e);
	assert_int_equal(1, err.line);
	assert_non_null(strstr(err.message, "document type declaration"));
	/* A NULL error is allowed. */
	assert_int_equal(-1, btc_export_parse_memory(&e, "x.xml", doc, strlen(doc), NULL, NULL));
}

static void test_limits(void **state)
{
	(void)state;
	btc_parse_limits tight = {.max_size = 0, .max_depth = 2};
	static const char doc[] = "<Configuration><Feature><a/></Feature></Configuration>";
	btc_export *e = NULL;
	btc_error err = {0};
	assert_int_equal(-1, btc_export_parse_memory(&e, "x.xml", doc, strlen(doc), &tight, &err));
	assert_non_null(strstr(err.message, "deeper than 2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_sample),
		cmocka_unit_test(test_refusal_is_explained),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
