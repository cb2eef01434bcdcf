/* File-backed guest RAM for the text watch (virt.h): the domain's RAM is a
 * shared memory-backend-file that the monitor maps PROT_READ.
 *
 * Why <qemu:commandline> and not <memoryBacking><source type='file'/>:
 * libvirt 9.0 puts memoryBacking files under qemu.conf's memory_backing_dir,
 * one folder for the whole host (by default on the root disk, where every
 * page the guest dirties is written back to disk). A per-run file on tmpfs
 * needs the backend on the domain's own command line; the later
 * "-machine memory-backend=" overrides the one libvirt generates, whose
 * anonymous backend is then never touched. */
#include "dumplab/virt.h"
#include "dumplab/error.h"

#include <json-glib/json-glib.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <glib/gstdio.h>
#include <string.h>

#define RAM_ID "dl-ram"

static void qemu_arg(GString *x, const char *value)
{
    g_autofree char *v = g_markup_escape_text(value, -1);
    g_string_append_printf(x, "    <qemu:arg value='%s'/>\n", v);
}

void dl_virt_append_ram_file(GString *x, const char *path, unsigned memory_mib)
{
    /* QEMU's option syntax: a comma inside a value is doubled. */
    g_auto(GStrv) parts = g_strsplit(path, ",", -1);
    g_autofree char *p = g_strjoinv(",,", parts);
    g_autofree char *obj = g_strdup_printf(
        "memory-backend-file,id=" RAM_ID ",mem-path=%s,size=%uM,share=on", p, memory_mib);
    g_string_append(x, "  <qemu:commandline>\n");
    qemu_arg(x, "-object");
    qemu_arg(x, obj);
    qemu_arg(x, "-machine");
    qemu_arg(x, "memory-backend=" RAM_ID);
    g_string_append(x, "  </qemu:commandline>\n");
}

static char *qom_get_string(virDomainPtr dom, const char *obj, const char *prop, GError **err)
{
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"%s\",\"property\":\"%s\"}}", obj, prop);
    char *out = NULL;
    if (virDomainQemuMonitorCommand(dom, cmd, &out, 0) < 0) {
        const virError *e = virGetLastError();
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "qom-get %s %s: %s", obj, prop,
                    e && e->message ? e->message : "unknown libvirt error");
        return NULL;
    }
    g_autoptr(JsonParser) jp = json_parser_new();
    char *val = NULL;
    if (json_parser_load_from_data(jp, out, -1, NULL)) {
        JsonNode *root = json_parser_get_root(jp);
        JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
        if (o && json_object_has_member(o, "return")) {
            JsonNode *r = json_object_get_member(o, "return");
            if (JSON_NODE_HOLDS_VALUE(r) && json_node_get_value_type(r) == G_TYPE_STRING)
                val = g_strdup(json_node_get_string(r));
        }
    }
    if (!val)
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "qom-get %s %s: QEMU answered %s", obj, prop,
                    out);
    free(out);
    return val;
}

char *dl_virt_ram_file(virDomainPtr dom, GError **err)
{
    /* Ours first, then libvirt's own <memoryBacking> backend. */
    static const char *const ids[] = {"/objects/" RAM_ID, "/objects/pc.ram"};
    GError *first = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        GError *e = NULL;
        char *path = qom_get_string(dom, ids[i], "mem-path", &e);
        if (path) {
            g_clear_error(&first);
            return path;
        }
        if (!first)
            first = e;
        else
            g_error_free(e);
    }
    g_propagate_prefixed_error(err, first,
                               "the domain's RAM is not file-backed (start it with dumplab's "
                               "watch, or <memoryBacking><source type='file'/><access "
                               "mode='shared'/>): ");
    return NULL;
}

void dl_virt_remove_ram_file(const char *domain_name)
{
    if (!domain_name || !*domain_name || strchr(domain_name, '/'))
        return;
    g_autofree char *dir = g_build_filename("/dev/shm", domain_name, NULL);
    g_autofree char *file = g_build_filename(dir, "ram", NULL);
    g_unlink(file);
    g_rmdir(dir);
}
