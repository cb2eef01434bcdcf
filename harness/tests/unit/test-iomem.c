/* The one reading of /proc/iomem: top-level System RAM, the crashkernel
 * reservation wherever it nests, the same rule for the text and for the
 * agent's IOMEM lines. */
#include "dumplab/agentchan.h"
#include "dumplab/iomem.h"
#include "tap.h"

#include <string.h>

static const char *text = "00000000-00000fff : Reserved\n"
                          "00001000-0009fbff : System RAM\n"
                          "00100000-3ffdffff : System RAM\n"
                          "  01000000-01e02046 : Kernel code\n"
                          "  2e000000-3dffffff : Crash kernel\n"
                          "  3e000000-3e0fffff : System RAM\n"
                          "fee00000-fee00fff : Local APIC\n";

int main(void)
{
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    GError *err = NULL;
    tap_ok(dl_iomem_parse_text(text, ram, ck, &err), "a /proc/iomem text parses");
    tap_ok(ram->len == 2 && g_array_index(ram, DlRange, 1).start == 0x100000 &&
               g_array_index(ram, DlRange, 1).end == 0x3ffdffff,
           "top-level System RAM only (%u ranges)", ram->len);
    tap_ok(ck->len == 1 && g_array_index(ck, DlRange, 0).start == 0x2e000000 &&
               g_array_index(ck, DlRange, 0).end == 0x3dffffff,
           "the nested Crash kernel line is the reservation");

    g_autoptr(GArray) ram2 = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck2 = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func((GDestroyNotify)dl_msg_free);
    g_ptr_array_add(msgs, dl_msg_parse("IOMEM start=0x1000 end=0x9fbff name=System%20RAM"));
    g_ptr_array_add(msgs, dl_msg_parse("IOMEM start=0x100000 end=0x3ffdffff name=System%20RAM"));
    g_ptr_array_add(msgs,
                    dl_msg_parse("IOMEM start=0x2e000000 end=0x3dffffff name=Crash%20kernel"));
    g_ptr_array_add(msgs, dl_msg_parse("IOMEM start=0xfee00000 end=0xfee00fff"));
    dl_iomem_from_msgs(msgs, ram2, ck2);
    tap_ok(ram2->len == ram->len && ck2->len == 1 &&
               !memcmp(ram2->data, ram->data, ram->len * sizeof(DlRange)) &&
               !memcmp(ck2->data, ck->data, sizeof(DlRange)),
           "the agent's IOMEM lines give the same map as the text");

    g_array_set_size(ram, 0);
    bool ok = dl_iomem_parse_text("  00100000-3ffdffff : System RAM\n", ram, ck, &err);
    tap_ok(!ok && err && strstr(err->message, "System RAM"),
           "a text without a top-level System RAM line is refused (%s)",
           err ? err->message : "accepted");
    g_clear_error(&err);
    return tap_done();
}
