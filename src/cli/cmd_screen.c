/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen screen`: load the rule set, stream records from each FILE (or
 * standard input), scan each and print its report. A bad record is
 * reported on stderr and the rest are still screened; the exit status is
 * then 2. Reports written with -o go to a temporary file renamed into
 * place at the end, so a failed run never leaves a half-written report.
 * With --sign the temporary file is signed (and time-stamped with --tsa)
 * before the rename: a failed signature leaves neither a new report nor a
 * new signature behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen screen [options] FILE...\n"
    "Screen partnership records (ttscreen-record/1; one object or JSON Lines; '-' reads\n"
    "standard input) against the rule set and print one report per record.\n"
    "\n"
    "  --format text|json|jsonl|html  report format (default text)\n"
    "  -o, --out PATH          write the report(s) to PATH instead of standard output\n"
    "  --fail-on SEVERITY      exit 1 when a finding is at or above it: info, low, medium,\n"
    "                          high (default), critical\n"
    "  --as-of YYYY-MM-DD      treat this date as today (overrides controls.as_of)\n"
    "  --rules DIR             rule directory (default $TTSCREEN_RULES, ./rules, installed)\n"
    "  --db PATH               database (default $TTSCREEN_DB, ./ttscreen.db)\n"
    "  --no-store              do not record the case in the database\n"
    "  -q, --quiet             no progress line on a terminal's standard error\n"
    "  --no-lists              screen by the rules alone: consult no denied-party list (the\n"
    "                          report says so); without it, screening with no list loaded is\n"
    "                          an error\n"
    "  --max-list-age DAYS     fail (exit 2) when a list is older than DAYS, counted from the\n"
    "                          list's own date (else its import)\n"
    "  --read-only             open the database read-only (it must exist): lists and reviewers'\n"
    "                          decisions are read, nothing is written (many workers, one file)\n"
    "  --by NAME               who screens, for the case history (default: the OS user)\n"
    "  --sync full|normal      full (default): each commit of stored screenings is on disk\n"
    "                          when it returns; normal: a power loss or OS crash may undo the\n"
    "                          last commits (up to 512 records or 200 ms go in one commit)\n"
    "  --shard I/N             screen only the records at positions p (0-based, counted over\n"
    "                          all inputs) with p mod N = I-1, so N processes split a batch\n"
    "  -j, --jobs N            screen on N threads (default: the processors available); the\n"
    "                          reports and stored screenings keep the input order\n"
    "  --verbose               also warn about unknown (ignored) record fields\n"
    "  --sign KEY --cert CERT  also write a detached signature PATH.p7s next to -o PATH\n"
    "  --chain FILE            intermediate certificates to embed in the signature\n"
    "  --pass env:VAR|file:PATH  passphrase of an encrypted --sign key\n"
    "  --tsa URL               add an RFC 3161 trusted timestamp from this time-stamp\n"
    "                          authority (http:// or https://) to the signature\n"
    "  --insecure-key-permissions  accept a key file readable by group or others\n"
    "\n"
    "Exit status: 0 nothing at or above --fail-on, 1 a finding at or above it, 2 error.\n";

typedef struct screen_opts {
    const char *format, *out, *fail_on, *as_of, *rules, *db, *shard, *by, *max_list_age;
    const char *sign, *cert, *chain, *pass, *tsa, *sync, *jobs;
    int no_store, read_only, verbose, help, insecure_key, no_lists, quiet;
} screen_opts;

/* Where reports go: stdout, or a temporary file renamed to --out at the end. */
typedef struct sink {
    FILE *fp;
    char *tmp_path;
    const char *final_path;
    int failed;
    int through; /* -o names a device, FIFO or terminal: written directly */
} sink;

/* 1 when path names the same file as one of the inputs. */
static int is_input(const struct stat *o, char **files, size_t n_files)
{
    struct stat in;
    for (size_t i = 0; i < n_files; i++)
        if (strcmp(files[i], "-") != 0 && stat(files[i], &in) == 0 && in.st_dev == o->st_dev &&
            in.st_ino == o->st_ino)
            return 1;
    return 0;
}

/*
 * A new path or a regular file gets the report atomically (a temporary file
 * renamed over it at the end); a device, FIFO or terminal is written
 * through, never replaced. An input file is never a report's destination.
 */
static int sink_open(sink *s, const char *out, int signing, char **files, size_t n_files)
{
    struct stat sb;
    mode_t mask;
    int fd;
    size_t n;
    memset(s, 0, sizeof(*s));
    if (out == NULL) {
        s->fp = stdout;
        return 0;
    }
    if (stat(out, &sb) == 0) {
        if (is_input(&sb, files, n_files)) {
            cli_error("screen: -o %s is one of the input files; write the report elsewhere", out);
            return -1;
        }
        if (!S_ISREG(sb.st_mode)) {
            if (signing || S_ISDIR(sb.st_mode)) {
                cli_error("screen: -o %s is not a regular file%s", out,
                          signing ? " (a signed report needs one)" : "");
                return -1;
            }
            if ((s->fp = fopen(out, "w")) == NULL) {
                cli_error("%s: cannot open: %s", out, strerror(errno));
                return -1;
            }
            s->final_path = out;
            s->through = 1;
            return 0;
        }
    }
    n = strlen(out) + 16;
    s->tmp_path = malloc(n);
    if (s->tmp_path == NULL) {
        cli_error("out of memory");
        return -1;
    }
    snprintf(s->tmp_path, n, "%s.tmpXXXXXX", out);
    fd = mkstemp(s->tmp_path);
    /* mkstemp makes the file 0600: a report gets the mode the user's umask gives */
    mask = umask(0);
    umask(mask);
    if (fd >= 0 && fchmod(fd, 0666 & ~mask) != 0) {
        cli_error("%s: cannot set its mode: %s", out, strerror(errno));
        close(fd);
        unlink(s->tmp_path);
        free(s->tmp_path);
        s->tmp_path = NULL;
        return -1;
    }
    if (fd < 0 || (s->fp = fdopen(fd, "w")) == NULL) {
        cli_error("%s: cannot create: %s", out, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(s->tmp_path);
        }
        free(s->tmp_path);
        s->tmp_path = NULL;
        return -1;
    }
    s->final_path = out;
    return 0;
}

static void sink_write(sink *s, const char *data, size_t len)
{
    if (!s->failed && fwrite(data, 1, len, s->fp) != len)
        s->failed = 1;
}

/* Flush and close; the file stays under its temporary name (sink_commit). */
static int sink_close(sink *s)
{
    if (s->fp == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("standard output: write error");
            s->failed = 1;
        }
        return s->failed ? -1 : 0;
    }
    if (fclose(s->fp) != 0 || s->failed) {
        cli_error("%s: write error", s->final_path);
        s->failed = 1;
    }
    s->fp = NULL;
    return s->failed ? -1 : 0;
}

/* After sink_close: rename into place when keep (and nothing failed), else remove. */
static int sink_commit(sink *s, int keep)
{
    int rc = s->failed ? -1 : 0;
    if (s->tmp_path == NULL)
        return rc;
    if (rc == 0 && keep && rename(s->tmp_path, s->final_path) != 0) {
        cli_error("%s: cannot write: %s", s->final_path, strerror(errno));
        rc = -1;
    }
    if (rc != 0 || !keep)
        unlink(s->tmp_path);
    free(s->tmp_path);
    s->tmp_path = NULL;
    return rc;
}

typedef struct run_state {
    const screen_opts *o;
    tts_format fmt;
    tts_severity fail_on;
    tts_rules *rules;
    char now[32], today[11];
    sink out;
    int n_reports, had_error, had_findings, color;
    int stop; /* a usage error found mid-stream: screen no further */
    unsigned long shard_i, shard_n; /* --shard I/N; N = 1 screens everything */
    unsigned long pos;              /* position of the next record in the batch */
    long screened;                  /* records screened so far (the progress line) */
    cli_progress progress;
    char *pending; /* json format: the first report, held until the end */
    tts_cases *cases; /* the case file (decisions; stored unless st->store is 0) */
    int store;        /* record each screening */
    tts_lists *lists; /* denied-party lists, when the database exists */
    tts_list_info *list_info;
    size_t n_lists;
    size_t pending_len;
    tts_screen_opts so; /* the screening options, the same for every record */
    unsigned jobs;      /* --jobs */
    /* the inputs, read in order by the calling thread */
    char **files;
    size_t n_files, file_i;
    FILE *fp;
    tts_reader *rd;
    const char *name; /* the input being read, as messages name it */
    int in_stop;      /* an input error that ends the batch: read no further */
} run_state;

/*
 * One record on its way (ttscreen/jobs.h): read, evaluated on a worker,
 * then completed, printed and stored in input order. An input error travels
 * in a slot too, so that messages come out in the order they would one
 * record at a time.
 */
typedef struct screen_slot {
    tts_record_text *text; /* the record as read (owned), parsed by the worker */
    tts_record *rec;      /* to screen (owned), or NULL */
    const char *source;   /* the input it came from */
    int input_error;      /* 1: print err (as the library wrote it); 2: print msg */
    int stop;             /* after the input error: screen nothing further */
    tts_error err;        /* the input's error, then the screening's */
    char msg[600];
    tts_status rc;        /* the evaluation's */
    tts_screen_result res;
    char *report;         /* the report in the run's format (owned) */
    size_t report_len;
    tts_status render_rc;
    int print_stored; /* the report printed is res.stored_jsonl (--format jsonl, stored) */
    tts_error render_err;
} screen_slot;

static void warn_unknown(const tts_record *rec, const char *source)
{
    for (size_t i = 0; i < tts_record_n_unknown(rec); i++)
        fprintf(stderr, "%s: record \"%s\": %s: unknown field (ignored)\n", source,
                tts_record_id(rec), tts_record_unknown(rec, i));
}

/* The options of every screening of the run. */
static void screen_opts_init(run_state *st)
{
    tts_screen_opts *so = &st->so;
    memset(so, 0, sizeof(*so));
    so->size = sizeof(*so);
    so->rules = st->rules;
    so->lists = st->lists;
    so->no_lists = st->o->no_lists;
    so->list_info = st->list_info;
    so->n_lists = st->n_lists;
    so->cases = st->cases;
    so->store = st->store;
    so->as_of = st->o->as_of;
    so->today = st->today;
    so->at = st->now;
    so->actor = cli_actor(st->o->by);
    so->tool_version = tts_version();
}

/* Finish one evaluated record (the library's one screening path) and emit its report. */
static void screen_record(run_state *st, screen_slot *sl)
{
    tts_error *err = &sl->err;
    tts_screen_result *res = &sl->res;
    char *text = sl->report;
    size_t len = sl->report_len;
    const char *source = sl->source;

    if (sl->rc == TTS_OK)
        sl->rc = tts_screen_complete(&st->so, sl->rec, res, err);
    if (sl->rc != TTS_OK) {
        /* name the input: the message names the record or the rule at fault */
        cli_progress_interrupt();
        fprintf(stderr, "%s: %s\n", source,
                err->message[0] != '\0' ? err->message : tts_strerror(err->status));
        st->had_error = 1;
        /* the database failed (full, read-only, broken): stop rather than repeat it per record */
        if (err->status == TTS_ERR_DB || err->status == TTS_ERR_IO)
            st->stop = 1;
        return;
    }
    if (sl->render_rc != TTS_OK) {
        cli_report(&sl->render_err);
        st->had_error = 1;
        return;
    }
    if (sl->print_stored) {
        text = res->stored_jsonl;
        len = res->stored_len;
        res->stored_jsonl = NULL;
    }
    sl->report = NULL; /* text is this function's now */
    if (tts_findings_max_severity(res->findings) >= (int)st->fail_on)
        st->had_findings = 1;
    if (st->fmt == TTS_FORMAT_JSON) {
        if (st->pending != NULL) {
            cli_error("screen: --format json prints one record's report; %s holds more than one "
                      "record (use --format jsonl)",
                      source);
            st->had_error = 1;
            st->stop = 1;
            tts_free(text);
            return;
        }
        st->pending = text;
        st->pending_len = len;
        st->n_reports++;
        return;
    }
    if (st->fmt == TTS_FORMAT_TEXT && st->n_reports > 0)
        sink_write(&st->out, "\n", 1);
    sink_write(&st->out, text, len);
    st->n_reports++;
    tts_free(text);
}

/*
 * --format json: 1 (with the error put in sl) when another record of this
 * shard follows; the records of other shards are stepped over, so with 0
 * the input has been read to its end.
 */
static int more_follow(run_state *st, screen_slot *sl)
{
    tts_status rc;
    for (;;) {
        tts_error_clear(&sl->err);
        rc = tts_reader_skip(st->rd, &sl->err);
        if (rc == TTS_ERR_EOF)
            return 0;
        if (rc == TTS_ERR_NOMEM || rc == TTS_ERR_IO) {
            sl->input_error = 1;
            return 1;
        }
        if (st->pos++ % st->shard_n == st->shard_i - 1)
            break;
    }
    snprintf(sl->msg, sizeof(sl->msg),
             "screen: --format json prints one record's report; %s holds more than one "
             "record (use --format jsonl)",
             st->name);
    sl->input_error = 2;
    return 1;
}

static void close_input(run_state *st)
{
    tts_reader_free(st->rd);
    st->rd = NULL;
    if (st->fp != NULL && st->fp != stdin)
        fclose(st->fp);
    st->fp = NULL;
}

/* Open the next input: 0 when open, 1 when it could not be (the error in sl). */
static int open_input(run_state *st, screen_slot *sl)
{
    const char *path = st->files[st->file_i++];
    st->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    st->fp = stdin;
    if (strcmp(path, "-") != 0 && (st->fp = fopen(path, "rb")) == NULL) {
        snprintf(sl->msg, sizeof(sl->msg), "%s: cannot open: %s", path, strerror(errno));
        sl->input_error = 2;
        return 1;
    }
    tts_error_clear(&sl->err);
    if (tts_reader_open(st->fp, st->name, &st->rd, &sl->err) != TTS_OK) {
        sl->input_error = 1;
        close_input(st);
        return 1;
    }
    return 0;
}

/* The next record of the batch, or the next input error, into the slot (jobs.h produce). */
static int produce(void *user, void *slot)
{
    run_state *st = user;
    screen_slot *sl = slot;
    tts_status rc;
    while (!st->in_stop) {
        if (st->rd == NULL) {
            if (st->file_i >= st->n_files)
                return 0;
            if (open_input(st, sl))
                return 1;
            continue;
        }
        tts_error_clear(&sl->err);
        if (st->pos % st->shard_n != st->shard_i - 1) {
            /* another shard's record: step over it without parsing */
            rc = tts_reader_skip(st->rd, &sl->err);
            if (rc == TTS_ERR_EOF) {
                close_input(st);
                continue;
            }
            st->pos++;
            if (rc == TTS_ERR_NOMEM || rc == TTS_ERR_IO) {
                sl->input_error = 1;
                close_input(st);
                return 1;
            }
            continue;
        }
        rc = tts_reader_next_text(st->rd, &sl->text, &sl->err);
        if (rc == TTS_ERR_EOF) {
            close_input(st);
            continue;
        }
        st->pos++;
        sl->source = st->name;
        if (rc != TTS_OK) {
            sl->input_error = 1;
            if (rc == TTS_ERR_NOMEM || rc == TTS_ERR_IO)
                close_input(st);
            return 1;
        }
        if (st->fmt == TTS_FORMAT_JSON && more_follow(st, sl)) {
            /* one report only: refuse the batch before anything is screened or stored */
            tts_record_text_free(sl->text);
            sl->text = NULL;
            sl->stop = st->in_stop = 1;
        }
        return 1;
    }
    return 0;
}

/* A worker's part: the record's parse, then the rules and the lists (jobs.h work). */
static void work(void *user, void *slot)
{
    run_state *st = user;
    screen_slot *sl = slot;
    if (sl->text == NULL)
        return;
    if (tts_record_text_parse(sl->text, &sl->rec, &sl->err) != TTS_OK) {
        sl->input_error = 1; /* reported in order, and the batch goes on */
        return;
    }
    sl->rc = tts_screen_evaluate(&st->so, sl->rec, &sl->res, &sl->err);
    if (sl->rc != TTS_OK)
        return;
    sl->res.report.color = st->color;
    tts_error_clear(&sl->render_err);
    sl->print_stored = 0;
    if (st->fmt == TTS_FORMAT_JSONL && sl->res.stored_jsonl != NULL) {
        /* the report to print is the one rendered to store (JSONL has no colour): taken
           from the result once it is stored (screen_record) */
        sl->print_stored = 1;
        sl->render_rc = TTS_OK;
        return;
    }
    sl->render_rc = tts_report_render(&sl->res.report, st->fmt, &sl->report, &sl->report_len,
                                      &sl->render_err);
}

static void discard(void *user, void *slot)
{
    screen_slot *sl = slot;
    (void)user;
    tts_screen_result_clear(&sl->res);
    tts_record_free(sl->rec);
    tts_record_text_free(sl->text);
    tts_free(sl->report);
    sl->rec = NULL;
    sl->text = NULL;
    sl->report = NULL;
    sl->print_stored = 0;
}

/* In input order: messages, decisions, the report and the stored screening (jobs.h consume). */
static int consume(void *user, void *slot)
{
    run_state *st = user;
    screen_slot *sl = slot;
    if (sl->input_error == 1)
        cli_report(&sl->err);
    else if (sl->input_error == 2)
        cli_error("%s", sl->msg);
    if (sl->input_error != 0)
        st->had_error = 1;
    if (sl->stop)
        st->stop = 1;
    if (sl->rec != NULL) {
        if (st->o->verbose)
            warn_unknown(sl->rec, sl->source);
        screen_record(st, sl);
        cli_progress_step(&st->progress, ++st->screened);
    }
    discard(user, slot);
    return st->stop;
}

/* Every record of every input, on st->jobs threads, reports in input order. */
static void screen_all(run_state *st)
{
    const tts_jobs_ops ops = {sizeof(tts_jobs_ops), produce, work, consume, discard};
    tts_error err;
    tts_error_clear(&err);
    screen_opts_init(st);
    if (tts_jobs_run(st->jobs, sizeof(screen_slot), &ops, st, &err) != TTS_OK) {
        cli_report(&err);
        st->had_error = 1;
    }
    close_input(st);
}

/*
 * The database: read-write by default (created on first use, each
 * screening stored); with --no-store read-only when it exists (lists and
 * reviewers' decisions still apply); with --read-only it must exist and is
 * only read, so many workers can share one file.
 */
static int open_database(run_state *st, const screen_opts *o)
{
    const char *path = cli_db_path(o->db);
    int exists = access(path, F_OK) == 0, ro = o->read_only || o->no_store;
    tts_error err;
    tts_error_clear(&err);
    if (o->sync != NULL && strcmp(o->sync, "full") != 0 && strcmp(o->sync, "normal") != 0) {
        cli_error("screen: unknown --sync '%s' (expected full or normal)", o->sync);
        return -1;
    }
    if (o->read_only && !exists) {
        cli_error("screen: --read-only: database %s does not exist", path);
        return -1;
    }
    if (!exists && !o->no_lists)
        /* refuse before creating an empty database that holds no list */
        return cli_lists_ready("screen", path, NULL, 0, 0, NULL, st->today);
    if (ro && !exists)
        return 0; /* --no-store --no-lists and no database yet: nothing to apply */
    /* the lists are only read, from one snapshot taken here, stored run or not: the list
       versions every report names are the ones searched, whatever is imported meanwhile
       (the run's own writes then stay in the WAL until it ends; docs/scaling.md) */
    if ((ro ? tts_lists_open(path, TTS_LISTS_READONLY | TTS_LISTS_SNAPSHOT, &st->lists, &err)
            : cli_lists_open_for_run(path, &st->lists, &err)) != TTS_OK ||
        tts_lists_info(st->lists, &st->list_info, &st->n_lists, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    if (cli_lists_ready("screen", path, st->list_info, st->n_lists, o->no_lists,
                        o->max_list_age, st->today) != 0)
        return -1;
    if (tts_cases_open(path, ro, &st->cases, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    st->store = !ro;
    if (st->store && cli_sync_apply("screen", st->cases, o->sync) != 0)
        return -1;
    /* many screenings per commit (ended, and its error reported, after the last record) */
    if (st->store && tts_cases_batch(st->cases, 1, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    return 0;
}

/* "I/N" with 1 <= I <= N <= 1000000. */
static int parse_shard(const char *s, unsigned long *i, unsigned long *n)
{
    char *end = NULL;
    unsigned long a, b;
    if (*s < '0' || *s > '9')
        return -1;
    a = strtoul(s, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    b = strtoul(end + 1, &end, 10);
    if (*end != '\0' || a < 1 || b < 1 || a > b || b > 1000000)
        return -1;
    *i = a;
    *n = b;
    return 0;
}

static int parse_opts(int argc, char **argv, screen_opts *o, char ***files, size_t *n_files)
{
    const cli_option opts[] = {
        {"format", 0, 1, &o->format, NULL},   {"out", 'o', 1, &o->out, NULL},
        {"fail-on", 0, 1, &o->fail_on, NULL}, {"as-of", 0, 1, &o->as_of, NULL},
        {"rules", 0, 1, &o->rules, NULL},     {"db", 0, 1, &o->db, NULL},
        {"no-store", 0, 0, NULL, &o->no_store}, {"verbose", 'v', 0, NULL, &o->verbose},
        {"shard", 0, 1, &o->shard, NULL},     {"help", 'h', 0, NULL, &o->help},
        {"sign", 0, 1, &o->sign, NULL},       {"cert", 0, 1, &o->cert, NULL},
        {"chain", 0, 1, &o->chain, NULL},     {"pass", 0, 1, &o->pass, NULL},
        {"tsa", 0, 1, &o->tsa, NULL},         {"by", 0, 1, &o->by, NULL},
        {"read-only", 0, 0, NULL, &o->read_only},
        {"no-lists", 0, 0, NULL, &o->no_lists},
        {"max-list-age", 0, 1, &o->max_list_age, NULL},
        {"insecure-key-permissions", 0, 0, NULL, &o->insecure_key},
        {"quiet", 'q', 0, NULL, &o->quiet},
        {"sync", 0, 1, &o->sync, NULL},
        {"jobs", 'j', 1, &o->jobs, NULL},
        {NULL, 0, 0, NULL, NULL},
    };
    memset(o, 0, sizeof(*o));
    return cli_parse("screen", argc, argv, opts, files, n_files);
}

/* --sign and its companions need each other and -o. */
static int check_sign_opts(const screen_opts *o)
{
    if (o->sign == NULL && (o->cert != NULL || o->chain != NULL || o->pass != NULL ||
                            o->tsa != NULL || o->insecure_key)) {
        cli_error("screen: --cert, --chain, --pass, --tsa and --insecure-key-permissions "
                  "go with --sign KEY");
        return -1;
    }
    if (o->sign != NULL && o->out == NULL) {
        cli_error("screen: --sign needs -o PATH (the signature goes to PATH.p7s)");
        return -1;
    }
    if (o->sign != NULL && o->cert == NULL) {
        cli_error("screen: --sign KEY needs --cert CERT");
        return -1;
    }
    if (o->tsa != NULL && strncmp(o->tsa, "http://", 7) != 0 &&
        strncmp(o->tsa, "https://", 8) != 0) {
        cli_error("screen: --tsa '%s': expected an http:// or https:// URL", o->tsa);
        return -1;
    }
    return 0;
}

/*
 * Sign the finished report, still under its temporary name, into
 * -o PATH + ".p7s" (*sig_out, which the caller frees and removes should the
 * report not reach its place).
 */
static int sign_report(const screen_opts *o, const char *report, char **sig_out)
{
    tts_sign_opts so;
    tts_error err;
    char *pass = NULL, *sig;
    size_t n = strlen(o->out) + 5;
    int rc = -1;
    tts_error_clear(&err);
    *sig_out = NULL;
    sig = malloc(n);
    if (sig == NULL) {
        cli_error("out of memory");
        return -1;
    }
    snprintf(sig, n, "%s.p7s", o->out);
    if (o->pass != NULL &&
        tts_pass_load(o->pass, strncmp(o->pass, "env:", 4) == 0 ? getenv(o->pass + 4) : NULL,
                      &pass, &err) != TTS_OK) {
        cli_report(&err);
        free(sig);
        return -1;
    }
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.report_path = report;
    so.sig_path = sig;
    so.key_path = o->sign;
    so.cert_path = o->cert;
    so.chain_path = o->chain;
    so.pass = pass;
    so.insecure_key_permissions = o->insecure_key;
    so.tsa_url = o->tsa;
    so.signing_time = time(NULL); /* the real clock, even under SOURCE_DATE_EPOCH */
    if (tts_sign_file(&so, &err) == TTS_OK)
        rc = 0;
    else
        cli_report(&err);
    tts_pass_free(pass);
    if (rc == 0)
        *sig_out = sig;
    else
        free(sig);
    return rc;
}

int cmd_screen(int argc, char **argv)
{
    screen_opts o;
    run_state st;
    char **files = NULL, *sig = NULL;
    size_t n_files = 0;
    tts_error err;
    int rc = EXIT_ERROR;

    memset(&st, 0, sizeof(st));
    tts_error_clear(&err);
    if (parse_opts(argc, argv, &o, &files, &n_files) != 0)
        return EXIT_ERROR;
    st.o = &o;
    if (o.help) {
        fputs(usage_text, stdout);
        free(files);
        return EXIT_CLEAN;
    }
    st.fail_on = TTS_SEV_HIGH;
    if (n_files == 0) {
        cli_error("screen: no input file (use '-' for standard input; see --help)");
        goto out;
    }
    if (o.format != NULL && tts_format_parse(o.format, &st.fmt) != TTS_OK) {
        cli_error("screen: unknown --format '%s' (expected text, json, jsonl or html)", o.format);
        goto out;
    }
    if (o.fail_on != NULL && tts_severity_parse(o.fail_on, &st.fail_on) != TTS_OK) {
        cli_error("screen: unknown --fail-on '%s' (expected info, low, medium, high or critical)",
                  o.fail_on);
        goto out;
    }
    st.shard_i = st.shard_n = 1;
    if (o.shard != NULL && parse_shard(o.shard, &st.shard_i, &st.shard_n) != 0) {
        cli_error("screen: --shard '%s' must be I/N with 1 <= I <= N (e.g. 2/8)", o.shard);
        goto out;
    }
    if (check_sign_opts(&o) != 0)
        goto out;
    st.jobs = tts_jobs_available();
    if (o.jobs != NULL && tts_jobs_parse(o.jobs, &st.jobs) != TTS_OK) {
        cli_error("screen: --jobs '%s' must be a whole number from 1 to %d", o.jobs, TTS_JOBS_MAX);
        goto out;
    }
    if (st.fmt == TTS_FORMAT_JSON && n_files > 1) {
        cli_error("screen: --format json prints one record's report; %zu inputs were given "
                  "(use --format jsonl)",
                  n_files);
        goto out;
    }
    if (o.as_of != NULL && tts_date_check(o.as_of) != TTS_OK) {
        cli_error("screen: --as-of '%s' is not a real calendar date YYYY-MM-DD", o.as_of);
        goto out;
    }
    if (cli_now(st.now, st.today) != 0 || cli_today(st.today) != 0)
        goto out;
    if (cli_load_rules("screen", cli_rules_dir(o.rules), &st.rules) != 0)
        goto out;
    st.color = o.out == NULL && st.fmt == TTS_FORMAT_TEXT && isatty(STDOUT_FILENO) &&
               getenv("NO_COLOR") == NULL;
    if (open_database(&st, &o) != 0)
        goto out;
    if (sink_open(&st.out, o.out, o.sign != NULL, files, n_files) != 0)
        goto out;
    /* reports printed on the same terminal would mix with it: then none */
    cli_progress_start(&st.progress, "screen", "records", -1,
                       o.quiet || (o.out == NULL && isatty(STDOUT_FILENO)));
    st.files = files;
    st.n_files = n_files;
    screen_all(&st);
    cli_progress_end(&st.progress);
    if (st.store) {
        tts_error_clear(&err);
        if (tts_cases_batch(st.cases, 0, &err) != TTS_OK) {
            cli_report(&err);
            st.had_error = 1;
        }
    }
    if (st.pending != NULL && !st.had_error)
        sink_write(&st.out, st.pending, st.pending_len);
    if (sink_close(&st.out) != 0)
        st.had_error = 1;
    if (!st.had_error && o.sign != NULL && sign_report(&o, st.out.tmp_path, &sig) != 0)
        st.had_error = 1;
    if (sink_commit(&st.out, !st.had_error) != 0) {
        st.had_error = 1;
        if (sig != NULL)
            unlink(sig); /* it would sign a report that is not there */
    }
    rc = st.had_error ? EXIT_ERROR : st.had_findings ? EXIT_FINDINGS : EXIT_CLEAN;
out:
    free(sig);
    tts_free(st.pending);
    tts_cases_close(st.cases);
    tts_list_info_free(st.list_info, st.n_lists);
    tts_lists_close(st.lists);
    tts_rules_free(st.rules);
    free(files);
    return rc;
}
