/* crashkernel= in every form: what Linux 6.1 reserves for it, and the
 * check against /proc/iomem. */
#include "dumplab/check.h"
#include "dumplab/crashkernel.h"
#include "dumplab/iomem.h"
#include "tap.h"

#include <string.h>

#define M ((guint64)1 << 20)
#define G ((guint64)1 << 30)

static void expect(const char *v, guint64 ram, guint64 size, guint64 base, bool high,
                   const char *reason_has)
{
    DlCrashkernel p;
    dl_crashkernel_predict(v, ram, &p);
    bool good = p.size == size && p.base == base && p.high == high &&
                (!reason_has || (p.reason && strstr(p.reason, reason_has)));
    tap_ok(good, "crashkernel=%s with %" G_GUINT64_FORMAT " MiB: %" G_GUINT64_FORMAT
                 " MiB%s%s", v, ram / M, p.size / M, p.reason ? ": " : "",
           p.reason ? p.reason : "");
    dl_crashkernel_clear(&p);
}

/* /proc/iomem of a guest with ram_mib of RAM and the given reservations. */
static bool check(const char *v, const char *iomem, char **summary, GError **err)
{
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    if (!dl_iomem_parse_text(iomem, ram, ck, err))
        return false;
    return dl_crashkernel_check(v, ram, ck, summary, err);
}

int main(void)
{
    guint64 ram1g = 1023 * M + 512 * 1024; /* what a 1 GiB QEMU guest's e820 gives */
    expect("256M", ram1g, 256 * M, 0, false, NULL);
    expect("0x10000000", ram1g, 256 * M, 0, false, NULL);
    expect("192M@320M", ram1g, 192 * M, 320 * M, false, NULL);
    expect("1G-4G:192M,4G-64G:256M", ram1g, 192 * M, 0, false, NULL);
    expect("1G-4G:192M,4G-64G:256M", 6 * G, 256 * M, 0, false, NULL);
    expect("512M-2G:64M,2G-:128M@512M", ram1g, 64 * M, 512 * M, false, NULL);
    expect("auto", ram1g, 0, 0, false, "no range holds it");
    expect("auto", 2047 * M, 256 * M, 0, false, NULL); /* rounded up to 2G */
    expect("auto", 64 * G, 512 * M, 0, false, NULL);
    expect("auto", 8 * G, 256 * M, 0, false, NULL);
    expect("512M,high", ram1g, 512 * M, 0, true, NULL);
    expect("128M,low", ram1g, 0, 0, false, "alone it reserves nothing");
    expect("4G-8G:256M", ram1g, 0, 0, false, "no range holds it");
    expect("1G-4G:2G", ram1g, 0, 0, false, "invalid size");
    expect("1G-512M:64M", ram1g, 0, 0, false, "end <= start");
    expect("256X", ram1g, 0, 0, false, "unknown");
    expect("", ram1g, 0, 0, false, "no crashkernel=");
    expect("64M@", ram1g, 0, 0, false, "after '@'");
    expect("1G-:64M junk", ram1g, 0, 0, false, "trailing");
    expect("99999999999999999999G", ram1g, 0, 0, false, "memory value expected");

    static const char *with256 = "00001000-0009fbff : System RAM\n"
                                 "00100000-3ffdffff : System RAM\n"
                                 "  2f000000-3effffff : Crash kernel\n";
    static const char *without = "00001000-0009fbff : System RAM\n"
                                 "00100000-3ffdffff : System RAM\n";
    GError *err = NULL;
    g_autofree char *s1 = NULL;
    bool r_s1 = check("256M", with256, &s1, &err);
    tap_ok(r_s1, "256M found in /proc/iomem: %s", s1 ? s1 : "");
    g_clear_error(&err);
    g_autofree char *s2 = NULL;
    bool r_s2 = check("192M", with256, &s2, &err);
    tap_ok(!r_s2 && err && strstr(err->message, "no Crash kernel "
                                                                             "range of that size"),
           "192M is not what 256M reserved: %s", err ? err->message : "passed");
    g_clear_error(&err);
    g_autofree char *s3 = NULL;
    bool r_s3 = check("auto", without, &s3, &err);
    tap_ok(r_s3 && strstr(s3, "nothing reserved"),
           "auto below 2G: nothing reserved is the verdict: %s", s3 ? s3 : "");
    g_clear_error(&err);
    g_autofree char *s4 = NULL;
    bool r_s4 = check("256M", without, &s4, &err);
    tap_ok(!r_s4 && err && strstr(err->message, "nothing was "
                                                                             "reserved"),
           "256M and nothing in /proc/iomem: %s", err ? err->message : "passed");
    g_clear_error(&err);
    g_autofree char *s5 = NULL;
    bool r_s5 = check("256M@512M", with256, &s5, &err);
    tap_ok(!r_s5 && err && strstr(err->message, "base"),
           "a fixed base that was not honoured: %s", err ? err->message : "passed");
    g_clear_error(&err);
    g_autofree char *s6 = NULL;
    bool r_s6 = check("auto", with256, &s6, &err);
    tap_ok(!r_s6 && err &&
               strstr(err->message, "should reserve nothing"),
           "auto below 2G must not reserve: %s", err ? err->message : "passed");
    g_clear_error(&err);
    g_autofree char *kv = dl_crashkernel_kernel_value("auto");
    tap_ok(!strcmp(kv, "2G-64G:256M,64G-:512M"), "auto is given to the kernel as %s", kv);
    return tap_done();
}
