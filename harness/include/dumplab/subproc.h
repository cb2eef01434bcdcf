/* Every subprocess of a run goes through here: an argv vector (never a
 * shell line), a deadline after which its whole process group is killed,
 * and a progress callback while it runs, so no phase can hang silently. */
#ifndef DUMPLAB_SUBPROC_H
#define DUMPLAB_SUBPROC_H

#include <glib.h>
#include <stdbool.h>

/* Called every progress_every_s seconds while the process runs. */
typedef void (*DlProgressFn)(void *data, const char *what, int elapsed_s);

typedef struct {
    const char *const *argv; /* argv[0] is looked up in PATH */
    const char *what;        /* names the process in messages; default argv[0] */
    const char *cwd;         /* NULL: ours */
    const char *stdin_path;  /* NULL: /dev/null */
    const char *stdout_path; /* stdout (and stderr, with merge) to this new 0600 file */
    bool merge_stderr;       /* stderr into stdout */
    int timeout_s;           /* must be > 0 */
    int progress_every_s;    /* 0: 10 */
    DlProgressFn progress;
    void *progress_data;
} DlSubproc;

typedef struct {
    char *out; /* captured stdout (unless stdout_path), NUL-terminated */
    char *err; /* captured stderr (unless merged) */
    int exit_status;
} DlSubprocResult;

/* Runs p to its end. False with err (DL_ERROR_TIMEOUT, DL_ERROR_INTERRUPTED,
 * DL_ERROR_IO, or DL_ERROR_FAILED for a non-zero exit or a signal, naming
 * the last line of its stderr) on any failure; res is filled either way and
 * the caller frees it with dl_subproc_result_clear. */
bool dl_subproc_run(const DlSubproc *p, DlSubprocResult *res, GError **err);
void dl_subproc_result_clear(DlSubprocResult *res);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DlSubprocResult, dl_subproc_result_clear)

#endif
