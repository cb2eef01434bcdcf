/* report.json back into a DlReport: how the parent of `dumplab run -j`
 * learns what its worker runs found, and how index pages are made from
 * finished runs. Only the fields report.c writes are read; a field of the
 * wrong type is an error naming it. */
#include "report_priv.h"

#include "dumplab/error.h"

#include <json-glib/json-glib.h>
#include <string.h>

static bool get_str(JsonObject *o, const char *key, char **out, GError **err)
{
    JsonNode *n = json_object_get_member(o, key);
    if (!n || JSON_NODE_HOLDS_NULL(n))
        return true;
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "\"%s\" is not a string", key);
        return false;
    }
    g_free(*out);
    *out = g_strdup(json_node_get_string(n));
    return true;
}

static gint64 get_int(JsonObject *o, const char *key)
{
    JsonNode *n = json_object_get_member(o, key);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64
               ? json_node_get_int(n)
               : 0;
}

static bool get_bool(JsonObject *o, const char *key)
{
    JsonNode *n = json_object_get_member(o, key);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
           json_node_get_boolean(n);
}

static guint64 get_hex(JsonObject *o, const char *key)
{
    const char *s = json_object_has_member(o, key) ? json_object_get_string_member(o, key) : NULL;
    return s ? g_ascii_strtoull(s, NULL, 0) : 0;
}

/* Each element of an array member that is an object; none when absent. */
static JsonArray *objects(JsonObject *o, const char *key, GError **err)
{
    JsonNode *n = json_object_get_member(o, key);
    if (!n || JSON_NODE_HOLDS_NULL(n))
        return NULL;
    if (!JSON_NODE_HOLDS_ARRAY(n)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "\"%s\" is not an array", key);
        return NULL;
    }
    JsonArray *a = json_node_get_array(n);
    for (guint i = 0; i < json_array_get_length(a); i++)
        if (!JSON_NODE_HOLDS_OBJECT(json_array_get_element(a, i))) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "\"%s\"[%u] is not an object", key, i);
            return NULL;
        }
    return a;
}

static bool fill(DlReport *r, JsonObject *o, GError **err)
{
    if (!get_str(o, "scenario", &r->name, err) || !get_str(o, "path", &r->path, err) ||
        !get_str(o, "failed_phase", &r->failed_phase, err) ||
        !get_str(o, "reason", &r->reason, err) || !get_str(o, "kernel", &r->kernel, err) ||
        !get_str(o, "accel", &r->accel, err) || !get_str(o, "domain", &r->domain, err) ||
        !get_str(o, "workdir", &r->workdir, err) ||
        !get_str(o, "console_tail", &r->console_tail, err) || !get_str(o, "host", &r->host, err))
        return false;
    if (!r->name) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "no \"scenario\"");
        return false;
    }
    const char *verdict =
        json_object_has_member(o, "verdict") ? json_object_get_string_member(o, "verdict") : NULL;
    if (g_strcmp0(verdict, "FAIL") == 0 && !r->failed_phase)
        r->failed_phase = g_strdup("?");
    if (r->failed_phase && !r->reason)
        r->reason = g_strdup("");
    JsonNode *ex = json_object_get_member(o, "as_expected");
    r->expected = ex && JSON_NODE_HOLDS_VALUE(ex) ? json_node_get_boolean(ex) : -1;
    r->ms = get_int(o, "ms");
    JsonArray *a;
    GError *e = NULL;
    if ((a = objects(o, "phases", &e)))
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);
            Phase ph = {0};
            get_str(p, "name", &ph.name, NULL);
            get_str(p, "detail", &ph.detail, NULL);
            ph.ms = get_int(p, "ms");
            ph.ok = get_bool(p, "ok");
            g_array_append_val(r->phases, ph);
        }
    if (!e && (a = objects(o, "dumps", &e)))
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);
            Dump d = {0};
            get_str(p, "source", &d.source, NULL);
            get_str(p, "path", &d.path, NULL);
            get_str(p, "dmesg", &d.dmesg, NULL);
            d.size = (guint64)get_int(p, "size");
            d.pruned = get_bool(p, "removed");
            if (!d.source)
                d.source = g_strdup("?");
            g_array_append_val(r->dumps, d);
        // cppcheck-suppress memleak ; g_array_append_val gave the strings to the array
        }
    if (!e && (a = objects(o, "checks", &e)))
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);
            Check c = {0};
            get_str(p, "name", &c.name, NULL);
            get_str(p, "summary", &c.summary, NULL);
            c.ok = get_bool(p, "ok");
            if (!c.name)
                c.name = g_strdup("?");
            g_array_append_val(r->checks, c);
        // cppcheck-suppress memleak ; g_array_append_val gave the strings to the array
        }
    if (!e && (a = objects(o, "findings", &e)))
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);
            Finding f = {0};
            get_str(p, "check", &f.check, NULL);
            get_str(p, "severity", &f.severity, NULL);
            get_str(p, "rule", &f.rule, NULL);
            get_str(p, "message", &f.message, NULL);
            JsonNode *off = json_object_get_member(p, "offset");
            f.offset = off && JSON_NODE_HOLDS_VALUE(off) ? json_node_get_int(off) : -1;
            if (!f.severity)
                f.severity = g_strdup("note");
            g_array_append_val(r->findings, f);
        // cppcheck-suppress memleak ; g_array_append_val gave the strings to the array
        }
    if (!e && (a = objects(o, "regions", &e)))
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);
            g_autofree char *kind = NULL, *label = NULL;
            get_str(p, "kind", &kind, NULL);
            get_str(p, "label", &label, NULL);
            dl_report_add_region(r, kind ? kind : "iomem", get_hex(p, "start"), get_hex(p, "end"),
                                 label);
        }
    if (!e && (a = objects(o, "cpus", &e)))
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);
            g_autofree char *where = NULL, *role = NULL;
            get_str(p, "where", &where, NULL);
            get_str(p, "role", &role, NULL);
            dl_report_add_cpu(r, (int)get_int(p, "note"), (int)get_int(p, "cpu"),
                              (int)get_int(p, "pid"), get_hex(p, "ip"), get_hex(p, "sp"), where,
                              role);
        }
    if (e) {
        g_propagate_error(err, e);
        return false;
    }
    return true;
}

DlReport *dl_report_load_json(const char *path, GError **err)
{
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_file(p, path, err)) {
        g_prefix_error(err, "%s: ", path);
        return NULL;
    }
    JsonNode *root = json_parser_get_root(p);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not a JSON object", path);
        return NULL;
    }
    DlReport *r = dl_report_new(NULL, NULL);
    if (!fill(r, json_node_get_object(root), err)) {
        g_prefix_error(err, "%s: ", path);
        dl_report_free(r);
        return NULL;
    }
    return r;
}
