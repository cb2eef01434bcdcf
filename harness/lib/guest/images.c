/* Finds or builds guest images by running the vm-images recipe. */
#include "dumplab/images.h"
#include "dumplab/error.h"
#include "dumplab/subproc.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char *dl_repo_root(void)
{
    static char *root;
    if (root)
        return root;
    const char *env = g_getenv("DUMPLAB_ROOT");
    if (env && *env) {
        root = g_strdup(env);
        return root;
    }
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe) {
        g_autofree char *bin_dir = g_path_get_dirname(exe);
        g_autofree char *up = g_path_get_dirname(bin_dir);
        g_autofree char *probe = g_build_filename(up, "vm-images", "build-image.sh", NULL);
        if (g_file_test(probe, G_FILE_TEST_EXISTS)) {
            root = g_steal_pointer(&up);
            return root;
        }
    }
    root = g_get_current_dir();
    return root;
}

/* image.env: KEY=VALUE lines written by the builder. */
static char *env_value(const char *text, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    size_t klen = strlen(key);
    for (char **l = lines; *l; l++)
        if (!strncmp(*l, key, klen) && (*l)[klen] == '=')
            return g_strdup(*l + klen + 1);
    return NULL;
}

/* The folder a `dumplab run -j`/--connect parent built for this package
 * moments ago (DUMPLAB_IMAGES="PKG=DIR\nPKG=DIR"; "" is the default
 * kernel), so its workers do not each run the builder again. */
static char *prebuilt_dir(const char *kernel_package)
{
    const char *map = g_getenv("DUMPLAB_IMAGES");
    if (!map)
        return NULL;
    g_autofree char *want = g_strconcat(kernel_package ? kernel_package : "", "=", NULL);
    g_auto(GStrv) lines = g_strsplit(map, "\n", -1);
    for (char **l = lines; *l; l++)
        if (g_str_has_prefix(*l, want))
            return g_strdup(*l + strlen(want));
    return NULL;
}

static DlImage *image_from_dir(const char *dir, GError **err);

DlImage *dl_image_get(const char *kernel_package, const char *log_path, int timeout_s,
                      DlProgressFn progress, void *progress_data, GError **err)
{
    g_autofree char *pre = prebuilt_dir(kernel_package);
    if (pre) {
        if (log_path) {
            g_autofree char *note = g_strdup_printf("image: built by the batch: %s\n", pre);
            g_file_set_contents(log_path, note, -1, NULL);
        }
        return image_from_dir(pre, err);
    }
    const char *root = dl_repo_root();
    g_autofree char *script = g_build_filename(root, "vm-images", "build-image.sh", NULL);
    const char *argv[5] = {"bash", script, NULL, NULL, NULL};
    if (kernel_package && *kernel_package) {
        argv[2] = "--kernel-package";
        argv[3] = kernel_package;
    }
    DlSubproc p = {
        .argv = argv,
        .what = "vm-images/build-image.sh",
        .cwd = root,
        .timeout_s = timeout_s,
        .progress_every_s = 15,
        .progress = progress,
        .progress_data = progress_data,
    };
    g_auto(DlSubprocResult) res = {0};
    bool ok = dl_subproc_run(&p, &res, err);
    if (log_path) {
        g_autofree char *both = g_strconcat(res.out, res.err, NULL);
        g_file_set_contents(log_path, both, -1, NULL);
    }
    if (!ok) {
        g_prefix_error(
            err, "building guest image%s%s: ", kernel_package && *kernel_package ? " for " : "",
            kernel_package ? kernel_package : "");
        return NULL;
    }
    const char *out = res.out;
    /* The builder prints the image folder on its last line. */
    g_autofree char *trimmed = g_strstrip(g_strdup(out ? out : ""));
    const char *last = strrchr(trimmed, '\n');
    const char *dir = last ? last + 1 : trimmed;
    return image_from_dir(dir, err);
}

static DlImage *image_from_dir(const char *dir, GError **err)
{
    DlImage *img = g_new0(DlImage, 1);
    img->dir = g_strdup(dir);
    img->kernel = g_build_filename(dir, "vmlinuz", NULL);
    img->initrd = g_build_filename(dir, "initrd.img", NULL);
    g_autofree char *envpath = g_build_filename(dir, "image.env", NULL);
    g_autofree char *env = NULL;
    if (!g_file_get_contents(envpath, &env, NULL, err) ||
        !g_file_test(img->kernel, G_FILE_TEST_EXISTS) ||
        !g_file_test(img->initrd, G_FILE_TEST_EXISTS)) {
        if (err && !*err)
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "image folder %s lacks vmlinuz or initrd.img", dir);
        g_prefix_error(err, "guest image: ");
        dl_image_free(img);
        return NULL;
    }
    /* The uncompressed ELF, when build-image.sh could make it, boots
     * through its PVH entry without the bzImage's decompression (boot = pvh,
     * and the KVM probe's short boot). */
    g_autofree char *pvh = g_build_filename(dir, "vmlinux", NULL);
    img->boot_kernel =
        g_file_test(pvh, G_FILE_TEST_EXISTS) ? g_steal_pointer(&pvh) : g_strdup(img->kernel);
    img->kernel_version = env_value(env, "KERNEL_VERSION");
    img->kernel_package = env_value(env, "KERNEL_PACKAGE");
    return img;
}

void dl_image_free(DlImage *img)
{
    if (!img)
        return;
    g_free(img->dir);
    g_free(img->kernel);
    g_free(img->boot_kernel);
    g_free(img->initrd);
    g_free(img->kernel_version);
    g_free(img->kernel_package);
    g_free(img);
}
