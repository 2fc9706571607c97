/* libFuzzer harness: any bytes as a site inventory, then the farm built from
 * it with every rule run on it. [server] sections name export files that must
 * exist: a scratch folder holds a.xml and b.xml, so that inputs naming them
 * get past the parser into the farm rules, each server checked with the same
 * small export. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "export/parse.h"
#include "farm/inventory.h"
#include "report/report.h"
#include "rules/rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char export_xml[] =
    "<Configuration>\n"
    "<Feature Name=\"WMI\"><SQL ID=\"{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}\"><Server>SQL01</Server>"
    "<Database>BizTalkMgmtDb</Database></SQL>\n"
    "<Question ID=\"CREATEORJOIN\"><Answer Value=\"Join\" Selected=\"Yes\"/></Question></Feature>\n"
    "<Feature Name=\"SSOServer,Engine\"><Question ID=\"IsSecretServer\"><Answer Value=\"Join\" Selected=\"Yes\"/>"
    "</Question><SQL ID=\"SSO_DB_ID\"><Server>SQL01</Server><Database>SSODB</Database></SQL>"
    "<NTService ID=\"ENTSSO\"><UserName>svc-sso</UserName><Domain>CONTOSO</Domain><Password/></NTService>"
    "</Feature>\n</Configuration>\n";

static char dir[64];
static char inventory_path[96];
static btc_export *shared_export;
static FILE *sink;

static int touch(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(export_xml, f);
	return fclose(f);
}

static void remove_scratch(void)
{
	char path[128];
	static const char *const names[] = {"a.xml", "b.xml"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	btc_error err = {0};
	(void)argc;
	(void)argv;
	xmlInitParser();
	snprintf(dir, sizeof(dir), "/tmp/btc-fuzz-inv-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	atexit(remove_scratch);
	if (touch("a.xml") < 0 || touch("b.xml") < 0)
		return -1;
	snprintf(inventory_path, sizeof(inventory_path), "%s/inventory.ini", dir);
	if (btc_export_parse_memory(&shared_export, "a.xml", export_xml, sizeof(export_xml) - 1, NULL, &err) < 0)
		return -1;
	sink = fopen("/dev/null", "w");
	return sink == NULL ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	btc_inventory *inv = NULL;
	btc_error err = {0};
	btc_farm farm = {0};
	btc_export **exports = NULL;
	const char **servers = NULL;
	const btc_farm_server **decls = NULL;
	btc_result r = {0};

	/* The parser takes text: as btc_inventory_load, refuse a NUL byte. */
	if (size > 64 * 1024 || memchr(data, '\0', size) != NULL)
		return 0;
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (btc_inventory_parse(&inv, inventory_path, text, &err) < 0) {
		if (inv != NULL || err.message[0] == '\0')
			abort();
		goto done;
	}
	if (btc_farm_from_inventory(&farm, inv, &err) < 0)
		goto done;
	size_t n = inv->n_servers;
	exports = calloc(n + 1, sizeof(*exports));
	servers = calloc(n + 1, sizeof(*servers));
	decls = calloc(n + 1, sizeof(*decls));
	btc_input *inputs = calloc(n + 1, sizeof(*inputs));
	if (exports == NULL || servers == NULL || decls == NULL || inputs == NULL) {
		free(inputs);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		exports[i] = shared_export;
		servers[i] = inv->servers[i].name;
		decls[i] = &inv->servers[i];
		inputs[i] = (btc_input){.path = inv->servers[i].export_path, .ok = true, .server = servers[i]};
	}
	farm.exports = exports;
	farm.servers = servers;
	farm.decls = decls;
	farm.n_exports = n;
	r.inputs = inputs;
	r.n_inputs = n;
	btc_rules_run(&r.findings, &farm, 0, NULL);
	btc_findings_sort(&r.findings);
	btc_report_json(sink, &r);
	btc_findings_free(&r.findings);
	free(inputs);
done:
	btc_farm_release(&farm);
	free(exports);
	free(servers);
	free(decls);
	btc_inventory_free(inv);
	free(text);
	return 0;
}
