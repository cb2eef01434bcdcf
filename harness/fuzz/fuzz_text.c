/* libFuzzer targets for the text parsers: the scenario file parser, the
 * agent-channel message parser and the /proc/iomem parser. One source,
 * built once per parser (FUZZ_SCENARIO, FUZZ_AGENTMSG, FUZZ_IOMEM). */
#include "dumplab/agentchan.h"
#include "dumplab/check.h"
#include "dumplab/iomem.h"
#include "dumplab/scenario.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = g_strndup((const char *)data, size); /* the parsers take C strings */
    GError *err = NULL;
#if defined(FUZZ_SCENARIO)
    DlScenario *s = dl_scenario_parse(text, "fuzz.scn", &err);
    dl_scenario_free(s);
#elif defined(FUZZ_AGENTMSG)
    /* One message per line, as the channel delivers them. */
    char **lines = g_strsplit(text, "\n", 64);
    for (int i = 0; lines[i]; i++) {
        DlMsg *m = dl_msg_parse(lines[i]);
        if (m) {
            dl_msg_get(m, "name");
            dl_msg_get(m, "start");
            dl_msg_free(m);
        }
    }
    g_strfreev(lines);
#elif defined(FUZZ_IOMEM)
    GArray *ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    GArray *ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    dl_iomem_parse_text(text, ram, ck, &err);
    g_array_free(ram, TRUE);
    g_array_free(ck, TRUE);
#else
#error "define FUZZ_SCENARIO, FUZZ_AGENTMSG or FUZZ_IOMEM"
#endif
    g_clear_error(&err);
    g_free(text);
    return 0;
}
