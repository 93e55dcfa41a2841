/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "wf-catcher.h"
#include "wf-error.h"
#include "wf-sim-watch.h"
#include "wf-transport-factory.h"

/*
 * The catcher against real ptys. A responder thread plays the boot ROM on
 * the master side (protocol.md §2: A0 0A 50 05 → 5F F5 AF FA, a wrong byte b
 * gets b+1 and restarts) and notes when the first A0 arrived, so the test
 * measures the catcher from the outside.
 */

typedef enum {
	RESPONDER_BROM,	   /* a boot ROM waiting for the handshake */
	RESPONDER_SILENT,  /* a port whose device never answers */
	RESPONDER_GARBAGE, /* something else talking, e.g. a normal-boot port */
} ResponderMode;

typedef struct {
	int master;
	gchar *slave_path;
	ResponderMode mode;
	GThread *thread;
	gint stop;
	gint64 first_a0_us; /* 0 until the first A0 arrives */
	guint bytes_in;
	gboolean handshaken;
	GMutex mutex;
} Responder;

static const guint8 handshake_seq[] = {0xA0, 0x0A, 0x50, 0x05};

static void
responder_reply(Responder *r, guint8 byte)
{
	g_assert_cmpint(write(r->master, &byte, 1), ==, 1);
}

static void
responder_handle(Responder *r, guint8 b, guint *idx)
{
	g_mutex_lock(&r->mutex);
	r->bytes_in++;
	if (b == 0xA0 && r->first_a0_us == 0)
		r->first_a0_us = g_get_monotonic_time();
	g_mutex_unlock(&r->mutex);

	switch (r->mode) {
	case RESPONDER_SILENT:
		return;
	case RESPONDER_GARBAGE:
		responder_reply(r, 'O');
		return;
	case RESPONDER_BROM:
	default:
		break;
	}
	if (r->handshaken) {
		responder_reply(r, b); /* unknown commands are echoed */
		return;
	}
	if (b == handshake_seq[*idx]) {
		responder_reply(r, (guint8)~b);
		if (++(*idx) == G_N_ELEMENTS(handshake_seq)) {
			g_mutex_lock(&r->mutex);
			r->handshaken = TRUE;
			g_mutex_unlock(&r->mutex);
		}
		return;
	}
	responder_reply(r, (guint8)(b + 1));
	*idx = 0;
}

static gpointer
responder_thread(gpointer user_data)
{
	Responder *r = user_data;
	guint idx = 0;

	while (!g_atomic_int_get(&r->stop)) {
		struct pollfd pfd = {.fd = r->master, .events = POLLIN};
		guint8 buf[64];
		ssize_t n;

		if (poll(&pfd, 1, 5) <= 0)
			continue;
		if (!(pfd.revents & POLLIN)) {
			/* POLLHUP: nobody has the slave open (yet, or any more) */
			g_usleep(1000);
			continue;
		}
		n = read(r->master, buf, sizeof(buf));
		if (n <= 0) {
			g_usleep(1000);
			continue;
		}
		for (ssize_t i = 0; i < n; i++)
			responder_handle(r, buf[i], &idx);
	}
	return NULL;
}

static Responder *
responder_new(ResponderMode mode)
{
	Responder *r = g_new0(Responder, 1);

	g_mutex_init(&r->mutex);
	r->mode = mode;
	r->master = posix_openpt(O_RDWR | O_NOCTTY);
	g_assert_cmpint(r->master, >=, 0);
	g_assert_cmpint(grantpt(r->master), ==, 0);
	g_assert_cmpint(unlockpt(r->master), ==, 0);
	r->slave_path = g_strdup(ptsname(r->master));
	r->thread = g_thread_new("responder", responder_thread, r);
	return r;
}

/* stops answering and closes the master: the port is gone */
static void
responder_free(Responder *r)
{
	if (r == NULL)
		return;
	g_atomic_int_set(&r->stop, 1);
	g_thread_join(r->thread);
	close(r->master);
	g_mutex_clear(&r->mutex);
	g_free(r->slave_path);
	g_free(r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Responder, responder_free)

static gint64
responder_first_a0(Responder *r)
{
	gint64 t;
	g_mutex_lock(&r->mutex);
	t = r->first_a0_us;
	g_mutex_unlock(&r->mutex);
	return t;
}

static guint
responder_bytes_in(Responder *r)
{
	guint n;
	g_mutex_lock(&r->mutex);
	n = r->bytes_in;
	g_mutex_unlock(&r->mutex);
	return n;
}

static gboolean
responder_handshaken(Responder *r)
{
	gboolean done;
	g_mutex_lock(&r->mutex);
	done = r->handshaken;
	g_mutex_unlock(&r->mutex);
	return done;
}

static void
responder_wait_first_a0(Responder *r)
{
	for (guint i = 0; i < 2000 && responder_first_a0(r) == 0; i++)
		g_usleep(1000);
	g_assert_cmpint(responder_first_a0(r), >, 0);
}

/* ---- a catch running in a thread ---------------------------------------- */

typedef struct {
	WfCatcher *catcher;
	guint timeout_ms;
	GCancellable *cancellable;
	GThread *thread;
	WfBrom *brom;
	GError *error;
	gint64 elapsed_us;
	GPtrArray *steps; /* "step path" strings, in order */
} Catch;

static void
catch_step_cb(WfCatcher *catcher, guint step, const gchar *path, gpointer user_data)
{
	Catch *c = user_data;
	g_ptr_array_add(c->steps, g_strdup(wf_catcher_step_to_string(step)));
}

static gpointer
catch_thread(gpointer user_data)
{
	Catch *c = user_data;
	gint64 start = g_get_monotonic_time();
	c->brom = wf_catcher_catch(c->catcher, c->timeout_ms, c->cancellable, &c->error);
	c->elapsed_us = g_get_monotonic_time() - start;
	return NULL;
}

static Catch *
catch_start(WfCatcher *catcher, guint timeout_ms)
{
	Catch *c = g_new0(Catch, 1);
	c->catcher = g_object_ref(catcher);
	c->timeout_ms = timeout_ms;
	c->cancellable = g_cancellable_new();
	c->steps = g_ptr_array_new_with_free_func(g_free);
	g_signal_connect(catcher, "step-changed", G_CALLBACK(catch_step_cb), c);
	c->thread = g_thread_new("catch", catch_thread, c);
	return c;
}

static void
catch_join(Catch *c)
{
	g_thread_join(c->thread);
	c->thread = NULL;
	g_signal_handlers_disconnect_by_data(c->catcher, c);
	if (c->error != NULL)
		g_test_message("catch failed after %.0f ms: %s",
			       c->elapsed_us / 1000.0,
			       c->error->message);
}

static void
catch_free(Catch *c)
{
	if (c->thread != NULL)
		catch_join(c);
	g_clear_object(&c->brom);
	g_clear_error(&c->error);
	g_object_unref(c->catcher);
	g_object_unref(c->cancellable);
	g_ptr_array_unref(c->steps);
	g_free(c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Catch, catch_free)

static gchar *
catch_steps(Catch *c)
{
	g_ptr_array_add(c->steps, NULL);
	g_autofree gchar *str = g_strjoinv(" ", (gchar **)c->steps->pdata);
	g_ptr_array_remove_index(c->steps, c->steps->len - 1);
	return g_steal_pointer(&str);
}

/* ---- fixture: a temp dir standing in for /dev --------------------------- */

typedef struct {
	gchar *dir;
	gchar *link; /* dir/ttyACM0, the port the catcher waits for */
} Fixture;

static void
rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (g_file_test(path, G_FILE_TEST_IS_SYMLINK) || !g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_unlink(path);
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		rm_rf(child);
	}
	g_rmdir(path);
}

static void
fixture_set_up(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	fx->dir = g_dir_make_tmp("wf-catch-XXXXXX", &error);
	g_assert_no_error(error);
	fx->link = g_build_filename(fx->dir, "ttyACM0", NULL);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer user_data)
{
	rm_rf(fx->dir);
	g_free(fx->dir);
	g_free(fx->link);
	g_unsetenv("WF_PROC_DIR");
}

/* makes the port appear; returns when it did */
static gint64
plug(const gchar *link, Responder *r)
{
	g_assert_cmpint(symlink(r->slave_path, link), ==, 0);
	return g_get_monotonic_time();
}

static void
unplug(const gchar *link, Responder *r)
{
	g_assert_cmpint(g_unlink(link), ==, 0);
	responder_free(r);
}

static WfCatcher *
catcher_for_path(const gchar *path)
{
	WfCatcher *catcher = wf_catcher_new();
	wf_catcher_set_path(catcher, path);
	return catcher;
}

/* ---- tests -------------------------------------------------------------- */

static void
test_catcher_path_late(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Responder) r = responder_new(RESPONDER_BROM);
	g_autoptr(Catch) c = catch_start(catcher, 5000);
	g_autofree gchar *steps = NULL;
	gint64 t_plugged;
	gint64 delay_us;

	/* the watch is plugged in after the catcher started waiting */
	g_usleep(150 * 1000);
	t_plugged = plug(fx->link, r);
	catch_join(c);
	g_assert_no_error(c->error);
	g_assert_nonnull(c->brom);
	g_assert_true(responder_handshaken(r));
	g_assert_cmpstr(wf_transport_get_path(wf_brom_get_transport(c->brom)), ==, fx->link);
	g_assert_cmpstr(wf_catcher_get_port_path(catcher), ==, fx->link);
	g_assert_cmpint(wf_catcher_get_step(catcher), ==, WF_CATCHER_STEP_CAUGHT);
	g_assert_cmpuint(wf_catcher_get_appearances(catcher), ==, 1);
	steps = catch_steps(c);
	g_assert_cmpstr(steps, ==, "waiting port-found handshaking caught");

	delay_us = responder_first_a0(r) - t_plugged;
	g_test_message("first A0 reached the port %.2f ms after the path appeared "
		       "(catcher's own measure: %.2f ms)",
		       delay_us / 1000.0,
		       wf_catcher_get_first_write_delay_us(catcher) / 1000.0);
	g_assert_cmpint(delay_us, >=, 0);
	g_assert_cmpint(delay_us, <, 100 * 1000);
	g_assert_cmpint(wf_catcher_get_first_write_delay_us(catcher), >=, 0);
	g_assert_cmpint(wf_catcher_get_first_write_delay_us(catcher), <, 100 * 1000);
}

static void
test_catcher_path_vanish_and_return(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Responder) r2 = NULL;
	Responder *r1 = responder_new(RESPONDER_SILENT);
	g_autoptr(Catch) c = catch_start(catcher, 5000);
	g_autofree gchar *steps = NULL;
	gint64 t_plugged;

	/* first plug-in: the boot ROM is not listening, the port goes away */
	plug(fx->link, r1);
	responder_wait_first_a0(r1);
	g_usleep(100 * 1000);
	unplug(fx->link, r1);

	/* it re-enumerates a while later and answers */
	g_usleep(300 * 1000);
	r2 = responder_new(RESPONDER_BROM);
	t_plugged = plug(fx->link, r2);
	catch_join(c);
	g_assert_no_error(c->error);
	g_assert_nonnull(c->brom);
	g_assert_cmpuint(wf_catcher_get_appearances(catcher), ==, 2);
	steps = catch_steps(c);
	g_test_message("steps: %s", steps);
	g_assert_true(g_str_has_prefix(steps, "waiting port-found handshaking waiting"));
	g_assert_true(g_str_has_suffix(steps, "port-found handshaking caught"));
	g_test_message("second appearance: first A0 after %.2f ms",
		       (responder_first_a0(r2) - t_plugged) / 1000.0);
	g_assert_cmpint(responder_first_a0(r2) - t_plugged, <, 100 * 1000);
}

static void
test_catcher_path_silent(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Responder) r = responder_new(RESPONDER_SILENT);
	g_autoptr(Catch) c = NULL;

	plug(fx->link, r);
	c = catch_start(catcher, 700);
	catch_join(c);
	g_assert_null(c->brom);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(c->error->message, fx->link));
	g_assert_nonnull(strstr(c->error->message, "did not answer the handshake"));
	g_assert_nonnull(strstr(c->error->message, "switch the watch off, then plug it in"));
	/* it kept sending A0 the whole time, not just once */
	g_test_message("%u bytes sent to a silent port in 700 ms", responder_bytes_in(r));
	g_assert_cmpuint(responder_bytes_in(r), >=, 10);
	g_assert_cmpint(c->elapsed_us, >=, 700 * 1000);
	g_assert_cmpint(c->elapsed_us, <, 2000 * 1000);
}

static void
test_catcher_path_garbage(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Responder) r = responder_new(RESPONDER_GARBAGE);
	g_autoptr(Catch) c = NULL;

	plug(fx->link, r);
	c = catch_start(catcher, 500);
	catch_join(c);
	g_assert_null(c->brom);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(c->error->message, fx->link));
	g_assert_nonnull(strstr(c->error->message, "another program"));
	g_assert_nonnull(strstr(c->error->message, "booted normally"));
}

static void
test_catcher_path_never(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Catch) c = catch_start(catcher, 300);

	catch_join(c);
	g_assert_null(c->brom);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(c->error->message, fx->link));
	g_assert_nonnull(strstr(c->error->message,
				"switch the watch off, then plug it in; the port is open for "
				"about a second"));
	g_assert_cmpint(c->elapsed_us, >=, 300 * 1000);
	g_assert_cmpint(wf_catcher_get_first_write_delay_us(catcher), ==, -1);
}

static void
test_catcher_path_vanished(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	Responder *r = responder_new(RESPONDER_SILENT);
	g_autoptr(Catch) c = catch_start(catcher, 800);

	plug(fx->link, r);
	responder_wait_first_a0(r);
	unplug(fx->link, r);
	catch_join(c);
	g_assert_null(c->brom);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_nonnull(strstr(c->error->message, "vanished before the handshake completed"));
	g_assert_nonnull(
		strstr(c->error->message, "plug it in again; the window is about one second"));
}

static void
write_fake_process(const gchar *proc, const gchar *pid, const gchar *comm, const gchar *target)
{
	g_autofree gchar *fd_dir = g_build_filename(proc, pid, "fd", NULL);
	g_autofree gchar *comm_fn = g_build_filename(proc, pid, "comm", NULL);
	g_autofree gchar *fd = g_build_filename(fd_dir, "7", NULL);
	g_autofree gchar *line = g_strdup_printf("%s\n", comm);

	g_assert_cmpint(g_mkdir_with_parents(fd_dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(comm_fn, line, -1, NULL));
	g_assert_cmpint(symlink(target, fd), ==, 0);
}

static void
test_catcher_path_busy(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Responder) r = responder_new(RESPONDER_BROM);
	g_autoptr(Catch) c = NULL;
	g_autofree gchar *proc = g_build_filename(fx->dir, "proc", NULL);
	int holder;

	/* ModemManager has the port: a lock the catcher cannot take, and a
	 * process table naming who holds it */
	holder = open(r->slave_path, O_RDWR | O_NOCTTY);
	g_assert_cmpint(holder, >=, 0);
	g_assert_cmpint(flock(holder, LOCK_EX | LOCK_NB), ==, 0);
	write_fake_process(proc, "812", "ModemManager", r->slave_path);
	g_setenv("WF_PROC_DIR", proc, TRUE);

	plug(fx->link, r);
	c = catch_start(catcher, 5000);
	catch_join(c);
	close(holder);
	g_assert_null(c->brom);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_BUSY);
	g_assert_nonnull(strstr(c->error->message, "ModemManager (pid 812)"));
	g_assert_nonnull(strstr(c->error->message, "sudo systemctl stop ModemManager"));
	g_assert_nonnull(strstr(c->error->message, "70-wristflash.rules"));
	/* given up once the port's window has surely passed, not at the timeout */
	g_assert_cmpint(c->elapsed_us, <, 2500 * 1000);
	g_assert_cmpuint(responder_bytes_in(r), ==, 0);
}

/* as a user: ModemManager runs as root, so its fd table is unreadable and
 * the port looks held by nobody; its name alone is worth a hint */
static void
test_catcher_path_busy_invisible(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Responder) r = responder_new(RESPONDER_BROM);
	g_autoptr(Catch) c = NULL;
	g_autofree gchar *proc = g_build_filename(fx->dir, "proc", NULL);
	int holder;

	holder = open(r->slave_path, O_RDWR | O_NOCTTY);
	g_assert_cmpint(holder, >=, 0);
	g_assert_cmpint(flock(holder, LOCK_EX | LOCK_NB), ==, 0);
	write_fake_process(proc, "812", "ModemManager", "/dev/null");
	g_setenv("WF_PROC_DIR", proc, TRUE);

	plug(fx->link, r);
	c = catch_start(catcher, 5000);
	catch_join(c);
	close(holder);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_BUSY);
	g_assert_nonnull(strstr(c->error->message, "probably ModemManager"));
	g_assert_nonnull(strstr(c->error->message, "sudo systemctl stop ModemManager"));
}

static void
catcher_permission_body(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("wf-catch-perm-XXXXXX", &error);
	g_autofree gchar *link = NULL;
	g_autoptr(WfCatcher) catcher = NULL;
	g_autoptr(Responder) r = NULL;
	g_autoptr(Catch) c = NULL;

	g_assert_no_error(error);
	link = g_build_filename(dir, "ttyACM0", NULL);
	catcher = catcher_for_path(link);
	/* a port the user has no access to, as before the udev rule */
	r = responder_new(RESPONDER_BROM);
	g_assert_cmpint(g_chmod(r->slave_path, 0), ==, 0);
	plug(link, r);
	c = catch_start(catcher, 5000);
	catch_join(c);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_PERMISSION_DENIED);
	g_assert_nonnull(strstr(c->error->message, "70-wristflash.rules"));
	g_assert_nonnull(strstr(c->error->message, "dialout"));
	/* a short grace for udev to apply the ACL, then a clear answer */
	g_assert_cmpint(c->elapsed_us, >=, 400 * 1000);
	g_assert_cmpint(c->elapsed_us, <, 2000 * 1000);
	rm_rf(dir);
}

static void
test_catcher_path_permission(void)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		catcher_permission_body();
		return;
	}
	/* root may open anything: run the test as nobody in a subprocess */
	if (g_test_subprocess()) {
		pw = getpwnam("nobody");
		g_assert_nonnull(pw);
		g_assert_cmpint(setgroups(0, NULL), ==, 0);
		g_assert_cmpint(setgid(pw->pw_gid), ==, 0);
		g_assert_cmpint(setuid(pw->pw_uid), ==, 0);
		catcher_permission_body();
		return;
	}
	if (getpwnam("nobody") == NULL) {
		g_test_skip("running as root and there is no user nobody");
		return;
	}
	g_test_trap_subprocess(NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
	g_test_trap_assert_passed();
}

static void
test_catcher_cancel(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = catcher_for_path(fx->link);
	g_autoptr(Catch) c = catch_start(catcher, 10000);

	g_usleep(100 * 1000);
	g_cancellable_cancel(c->cancellable);
	catch_join(c);
	g_assert_error(c->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(c->elapsed_us, <, 1000 * 1000);
}

/* ---- the opener callback ------------------------------------------------ */

typedef struct {
	gint ready;
	gchar *path;
	guint calls;
} Opener;

static WfTransport *
opener_cb(gpointer user_data, GError **error)
{
	Opener *o = user_data;
	o->calls++;
	if (!g_atomic_int_get(&o->ready)) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_NOT_FOUND, "not plugged in");
		return NULL;
	}
	return wf_transport_new_for_path(o->path, error);
}

static void
test_catcher_opener(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(Responder) r = responder_new(RESPONDER_BROM);
	g_autoptr(Catch) c = NULL;
	Opener o = {.path = r->slave_path};
	gint64 t_ready;

	/* an opener wins over a path */
	wf_catcher_set_path(catcher, fx->link);
	wf_catcher_set_opener(catcher, opener_cb, &o, NULL);
	c = catch_start(catcher, 5000);
	g_usleep(150 * 1000);
	t_ready = g_get_monotonic_time();
	g_atomic_int_set(&o.ready, 1);
	catch_join(c);
	g_assert_no_error(c->error);
	g_assert_nonnull(c->brom);
	g_assert_cmpstr(wf_catcher_get_port_path(catcher), ==, r->slave_path);
	g_test_message("opener called %u times; first A0 %.2f ms after it could succeed",
		       o.calls,
		       (responder_first_a0(r) - t_ready) / 1000.0);
	/* polled every couple of ms while "not there yet" */
	g_assert_cmpuint(o.calls, >=, 10);
	g_assert_cmpint(responder_first_a0(r) - t_ready, <, 100 * 1000);
}

/* ---- the port monitor (polling a fake /dev) ----------------------------- */

static void
fake_sysfs_port(const gchar *sys, const gchar *name, const gchar *vid, const gchar *pid)
{
	g_autofree gchar *usb = g_build_filename(sys, "devices", name, NULL);
	g_autofree gchar *intf = g_build_filename(usb, "1.0", NULL);
	g_autofree gchar *tty = g_build_filename(sys, "class", "tty", name, NULL);
	g_autofree gchar *link = g_build_filename(tty, "device", NULL);
	g_autofree gchar *vid_fn = g_build_filename(usb, "idVendor", NULL);
	g_autofree gchar *pid_fn = g_build_filename(usb, "idProduct", NULL);

	g_assert_cmpint(g_mkdir_with_parents(intf, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(tty, 0755), ==, 0);
	g_assert_true(g_file_set_contents(vid_fn, vid, -1, NULL));
	g_assert_true(g_file_set_contents(pid_fn, pid, -1, NULL));
	g_assert_cmpint(symlink(intf, link), ==, 0);
}

static void
test_catcher_monitor(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	g_autoptr(Responder) other = responder_new(RESPONDER_BROM);
	g_autoptr(Responder) r = responder_new(RESPONDER_BROM);
	g_autoptr(Catch) c = NULL;
	g_autofree gchar *dev = g_build_filename(fx->dir, "dev", NULL);
	g_autofree gchar *sys = g_build_filename(fx->dir, "sys", NULL);
	g_autofree gchar *other_link = g_build_filename(dev, "ttyACM1", NULL);
	g_autofree gchar *brom_link = g_build_filename(dev, "ttyACM3", NULL);
	gint64 t_plugged;

	g_assert_cmpint(g_mkdir_with_parents(dev, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(sys, 0755), ==, 0);
	wf_port_enumerator_set_dev_dir(enumerator, dev);
	wf_port_enumerator_set_sysfs_dir(enumerator, sys);
	wf_port_enumerator_set_find_holders(enumerator, FALSE);
	wf_catcher_set_enumerator(catcher, enumerator);
	c = catch_start(catcher, 5000);
	g_usleep(100 * 1000);

	/* some other USB serial device: must be left alone */
	fake_sysfs_port(sys, "ttyACM1", "1a86\n", "7523\n");
	plug(other_link, other);
	g_usleep(100 * 1000);
	/* the watch */
	fake_sysfs_port(sys, "ttyACM3", "0e8d\n", "0003\n");
	t_plugged = plug(brom_link, r);
	catch_join(c);
	g_assert_no_error(c->error);
	g_assert_nonnull(c->brom);
	g_assert_cmpstr(wf_catcher_get_port_path(catcher), ==, brom_link);
	g_assert_cmpuint(responder_bytes_in(other), ==, 0);
	g_test_message("monitor mode (10 ms poll): first A0 %.2f ms after the port appeared",
		       (responder_first_a0(r) - t_plugged) / 1000.0);
	g_assert_cmpint(responder_first_a0(r) - t_plugged, <, 100 * 1000);
}

static void
test_catcher_monitor_none(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	g_autoptr(Catch) c = NULL;

	wf_port_enumerator_set_dev_dir(enumerator, fx->dir);
	wf_catcher_set_enumerator(catcher, enumerator);
	c = catch_start(catcher, 300);
	catch_join(c);
	g_assert_error(c->error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(c->error->message, "0e8d:0003"));
	g_assert_nonnull(strstr(c->error->message, "switch the watch off, then plug it in"));
}

/* ---- the virtual watch through the opener -------------------------------- */

static WfTransport *
sim_opener_cb(gpointer user_data, GError **error)
{
	return wf_sim_watch_open_port(WF_SIM_WATCH(user_data), error);
}

static WfSimWatch *
sim_watch_new(const gchar *faults)
{
	WfSimConfig config;
	g_autoptr(GError) error = NULL;
	WfSimWatch *watch;

	wf_sim_config_init(&config);
	config.fast_nor = TRUE;
	config.faults = g_strdup(faults);
	watch = wf_sim_watch_new(&config, &error);
	wf_sim_config_clear(&config);
	g_assert_no_error(error);
	g_assert_nonnull(watch);
	return watch;
}

static void
test_catcher_sim(void)
{
	g_autoptr(WfSimWatch) watch = sim_watch_new(NULL);
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(Catch) c = NULL;
	gint64 latency_us;

	wf_catcher_set_opener(catcher, sim_opener_cb, g_object_ref(watch), g_object_unref);
	c = catch_start(catcher, 5000);
	g_usleep(100 * 1000);
	wf_sim_watch_plug_in(watch);
	catch_join(c);
	g_assert_no_error(c->error);
	g_assert_nonnull(c->brom);
	latency_us = wf_sim_watch_get_first_byte_latency_us(watch);
	g_test_message("virtual watch: first byte %.2f ms after its port appeared",
		       latency_us / 1000.0);
	g_assert_cmpint(latency_us, >=, 0);
	g_assert_cmpint(latency_us, <, 100 * 1000);
	g_clear_object(&c->brom);
	wf_sim_watch_shutdown(watch);
}

/* the port drops after the first byte: caught on the next appearance */
static void
test_catcher_sim_reenumerate(void)
{
	g_autoptr(WfSimWatch) watch = sim_watch_new("disconnect:out:1");
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	g_autoptr(Catch) c = NULL;
	g_autofree gchar *steps = NULL;

	wf_catcher_set_opener(catcher, sim_opener_cb, g_object_ref(watch), g_object_unref);
	c = catch_start(catcher, 5000);
	wf_sim_watch_plug_in(watch);
	catch_join(c);
	g_assert_no_error(c->error);
	g_assert_nonnull(c->brom);
	steps = catch_steps(c);
	g_test_message("generation %u, %u appearances: %s",
		       wf_sim_watch_get_generation(watch),
		       wf_catcher_get_appearances(catcher),
		       steps);
	g_assert_cmpuint(wf_sim_watch_get_generation(watch), >=, 2);
	g_assert_cmpuint(wf_catcher_get_appearances(catcher), >=, 2);
	g_assert_true(g_str_has_suffix(steps, "port-found handshaking caught"));
	g_clear_object(&c->brom);
	wf_sim_watch_shutdown(watch);
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	ADD("/catcher/path/late", test_catcher_path_late);
	ADD("/catcher/path/vanish-and-return", test_catcher_path_vanish_and_return);
	ADD("/catcher/path/silent", test_catcher_path_silent);
	ADD("/catcher/path/garbage", test_catcher_path_garbage);
	ADD("/catcher/path/never", test_catcher_path_never);
	ADD("/catcher/path/vanished", test_catcher_path_vanished);
	ADD("/catcher/path/busy", test_catcher_path_busy);
	ADD("/catcher/path/busy-invisible", test_catcher_path_busy_invisible);
	g_test_add_func("/catcher/path/permission", test_catcher_path_permission);
	ADD("/catcher/cancel", test_catcher_cancel);
	ADD("/catcher/opener", test_catcher_opener);
	ADD("/catcher/monitor", test_catcher_monitor);
	ADD("/catcher/monitor/none", test_catcher_monitor_none);
	g_test_add_func("/catcher/sim/plug-in", test_catcher_sim);
	g_test_add_func("/catcher/sim/re-enumerate", test_catcher_sim_reenumerate);
	return g_test_run();
}
