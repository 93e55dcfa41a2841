/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <unistd.h>

#include "wf-error.h"
#include "wf-transport-factory.h"
#include "wf-transport-serial.h"
#include "wf-transport-tty.h"

/* A pty pair: the test plays the watch on the master side. */
typedef struct {
	int master;
	gchar *path;
	gchar *tmpdir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	int slave = -1;
	struct termios tio;

	g_assert_cmpint(openpty(&f->master, &slave, NULL, NULL, NULL), ==, 0);
	f->path = g_strdup(ttyname(slave));
	g_assert_nonnull(f->path);
	/* the master side raw too, so bytes go through untouched */
	g_assert_cmpint(tcgetattr(f->master, &tio), ==, 0);
	cfmakeraw(&tio);
	g_assert_cmpint(tcsetattr(f->master, TCSANOW, &tio), ==, 0);
	close(slave);
	f->tmpdir = g_dir_make_tmp("wf-tty-XXXXXX", NULL);
	g_assert_nonnull(f->tmpdir);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->master >= 0)
		close(f->master);
	g_rmdir(f->tmpdir);
	g_free(f->tmpdir);
	g_free(f->path);
}

static WfTransport *
open_tty(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	WfTransport *transport = WF_TRANSPORT(wf_transport_tty_new(f->path));

	g_assert_true(wf_transport_open(transport, &error));
	g_assert_no_error(error);
	return transport;
}

static void
master_write(Fixture *f, const guint8 *buf, gsize len)
{
	gsize done = 0;
	while (done < len) {
		gssize n = write(f->master, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		g_assert_cmpint(n, >, 0);
		done += (gsize)n;
	}
}

static void
test_read_write(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	guint8 msg[100];
	guint8 buf[256];
	gsize got = 0;

	for (guint i = 0; i < sizeof(msg); i++)
		msg[i] = (guint8)(0xA0 + i);
	master_write(f, msg, sizeof(msg));
	g_usleep(20 * 1000);
	/* everything queued comes back from one read, not byte by byte */
	g_assert_true(wf_transport_read(transport, buf, sizeof(buf), &got, 500, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(buf, got, msg, sizeof(msg));

	/* and the other way; raw mode keeps 0x0A and 0x0D as they are */
	{
		const guint8 out[] = {0xA0, 0x0A, 0x0D, 0x50, 0x05, 0x11, 0x13};
		guint8 in[sizeof(out)];
		gsize done = 0;

		g_assert_true(wf_transport_write(transport, out, sizeof(out), 500, NULL, &error));
		g_assert_no_error(error);
		while (done < sizeof(out)) {
			struct pollfd pfd = {.fd = f->master, .events = POLLIN};
			gssize n;
			g_assert_cmpint(poll(&pfd, 1, 1000), ==, 1);
			n = read(f->master, in + done, sizeof(in) - done);
			g_assert_cmpint(n, >, 0);
			done += (gsize)n;
		}
		g_assert_cmpmem(in, sizeof(in), out, sizeof(out));
	}
}

static void
test_read_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	gint64 start = g_get_monotonic_time();
	gint64 elapsed_ms;
	guint8 buf[4];
	gsize got = 0;

	g_assert_false(wf_transport_read(transport, buf, sizeof(buf), &got, 60, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	elapsed_ms = (g_get_monotonic_time() - start) / 1000;
	g_assert_cmpint(elapsed_ms, >=, 55);
	g_assert_cmpint(elapsed_ms, <, 1000);
}

static void
test_read_exact_across_writes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	const guint8 a[] = {1, 2, 3};
	const guint8 b[] = {4, 5};
	guint8 buf[5];

	master_write(f, a, sizeof(a));
	master_write(f, b, sizeof(b));
	g_assert_true(wf_transport_read_exact(transport, buf, sizeof(buf), 500, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(buf[4], ==, 5);
}

static gboolean
cancel_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread(gpointer user_data)
{
	g_usleep(50 * 1000);
	cancel_cb(user_data);
	return NULL;
}

static void
test_read_cancel(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	GThread *thread;
	gint64 start = g_get_monotonic_time();
	guint8 buf[4];
	gsize got = 0;

	thread = g_thread_new("cancel", cancel_thread, cancellable);
	g_assert_false(
		wf_transport_read(transport, buf, sizeof(buf), &got, 10000, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	/* woken by the cancellable, not by the 10 s timeout */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 2000 * 1000);
	g_thread_join(thread);
}

static void
test_hangup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	const guint8 last[] = {0x42};
	const guint8 out[] = {0xA0};
	gint64 start;
	guint8 buf[4];
	gsize got = 0;

	/* the watch says one more byte and resets */
	master_write(f, last, sizeof(last));
	g_usleep(20 * 1000);
	close(f->master);
	f->master = -1;
	start = g_get_monotonic_time();
	/* what arrived before the hangup may or may not survive it; after it
	 * the port is gone, well before the timeout */
	if (wf_transport_read(transport, buf, sizeof(buf), &got, 5000, NULL, &error))
		g_assert_cmpuint(buf[0], ==, 0x42);
	g_clear_error(&error);
	g_assert_false(wf_transport_read(transport, buf, sizeof(buf), &got, 5000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_nonnull(strstr(error->message, f->path));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 1000 * 1000);
	g_clear_error(&error);
	g_assert_false(wf_transport_write(transport, out, sizeof(out), 500, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

static void
test_exclusive(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) first = open_tty(f);
	g_autoptr(WfTransportTty) second = wf_transport_tty_new(f->path);
	g_autoptr(WfTransport) third = NULL;

	g_assert_false(wf_transport_open(WF_TRANSPORT(second), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_BUSY);
	g_assert_nonnull(strstr(error->message, f->path));
	g_assert_cmpint(wf_transport_tty_get_fd(second), ==, -1);
	g_clear_error(&error);

	/* closing releases it; closing twice is fine */
	g_assert_true(wf_transport_close(first, &error));
	g_assert_true(wf_transport_close(first, &error));
	third = open_tty(f);
	g_assert_cmpint(wf_transport_tty_get_fd(WF_TRANSPORT_TTY(third)), >=, 0);
}

static void
test_open_errors(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransportTty) missing = wf_transport_tty_new("/dev/wristflash-no-such-tty");
	g_autoptr(WfTransportTty) not_tty = wf_transport_tty_new("/dev/null");
	guint8 buf[1];
	gsize got;

	g_assert_false(wf_transport_open(WF_TRANSPORT(missing), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "/dev/wristflash-no-such-tty"));
	g_clear_error(&error);

	g_assert_false(wf_transport_open(WF_TRANSPORT(not_tty), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);

	/* using a closed transport is a clear error, not a crash */
	g_assert_false(wf_transport_read(WF_TRANSPORT(missing), buf, 1, &got, 10, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INTERNAL);
}

static void
test_permission_denied(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransportTty) transport = NULL;

	if (geteuid() == 0) {
		g_test_skip("root may open any tty");
		return;
	}
	g_assert_cmpint(g_chmod(f->path, 0), ==, 0);
	transport = wf_transport_tty_new(f->path);
	g_assert_false(wf_transport_open(WF_TRANSPORT(transport), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PERMISSION_DENIED);
	g_assert_nonnull(strstr(error->message, f->path));
	g_assert_nonnull(strstr(error->message, "udev"));
}

static void
test_discard_input(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	const guint8 stale[] = {0x0B, 0xA1, 0x5F};
	guint8 buf[8];
	gsize got = 0;

	master_write(f, stale, sizeof(stale));
	g_usleep(20 * 1000);
	g_assert_true(wf_transport_discard_input(transport, &error));
	g_assert_no_error(error);
	g_assert_false(wf_transport_read(transport, buf, sizeof(buf), &got, 30, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
}

static void
test_factory(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = NULL;
	g_autoptr(WfTransport) missing = NULL;
	g_autofree gchar *link = g_build_filename(f->tmpdir, "watch", NULL);
	const guint8 msg[] = {0x5F};
	guint8 buf[1];
	gsize got = 0;

	/* a pty has no sysfs device node: plain termios, found through a link */
	g_assert_cmpint(symlink(f->path, link), ==, 0);
	transport = wf_transport_new_for_path(link, &error);
	g_assert_no_error(error);
	g_assert_true(WF_IS_TRANSPORT_TTY(transport));
	g_assert_cmpint(wf_transport_tty_get_fd(WF_TRANSPORT_TTY(transport)), >=, 0);
	master_write(f, msg, sizeof(msg));
	g_assert_true(wf_transport_read(transport, buf, 1, &got, 500, NULL, &error));
	g_assert_cmpuint(buf[0], ==, 0x5F);
	g_unlink(link);

	missing = wf_transport_new_for_path("/dev/wristflash-no-such-tty", &error);
	g_assert_null(missing);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "/dev/wristflash-no-such-tty"));
}

static void
test_serial_missing(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransportSerial) serial =
		wf_transport_serial_new("/dev/wristflash-no-such-tty");

	g_assert_false(wf_transport_open(WF_TRANSPORT(serial), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "/dev/wristflash-no-such-tty"));
}

/* A real serial port with a sysfs node, when this machine has one that
 * opens: the factory must pick libserialport for it, exclusively. Nothing is
 * written to it. */
static void
test_serial_real_port(Fixture *f, gconstpointer data)
{
	const gchar *path = g_getenv("WF_TEST_SERIAL_PORT");
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) first = NULL;
	g_autoptr(WfTransportSerial) second = NULL;

	if (path == NULL)
		path = "/dev/ttyS0";
	first = wf_transport_new_for_path(path, &error);
	if (first == NULL) {
		g_autofree gchar *msg =
			g_strdup_printf("no usable serial port: %s", error->message);
		g_test_skip(msg);
		return;
	}
	g_assert_true(WF_IS_TRANSPORT_SERIAL(first));
	g_assert_cmpstr(wf_transport_get_path(first), ==, path);
	second = wf_transport_serial_new(path);
	g_assert_false(wf_transport_open(WF_TRANSPORT(second), &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_BUSY);
	g_clear_error(&error);
	g_assert_true(wf_transport_discard_input(first, &error));
	g_assert_no_error(error);
	g_assert_true(wf_transport_close(first, &error));
	g_assert_true(wf_transport_open(WF_TRANSPORT(second), &error));
	g_assert_no_error(error);
}

/* ------------------------------------------------------------------------ */
/* throughput: 8 MiB through the pty, checking nothing is lost or changed */

#define BULK_SIZE  (8 * 1024 * 1024)
#define BULK_CHUNK (64 * 1024)

static guint8
bulk_byte(gsize i)
{
	return (guint8)(i ^ (i >> 8) ^ (i >> 16));
}

static gpointer
bulk_writer(gpointer user_data)
{
	Fixture *f = user_data;
	g_autofree guint8 *chunk = g_malloc(BULK_CHUNK);

	for (gsize off = 0; off < BULK_SIZE; off += BULK_CHUNK) {
		for (gsize i = 0; i < BULK_CHUNK; i++)
			chunk[i] = bulk_byte(off + i);
		master_write(f, chunk, BULK_CHUNK);
	}
	return NULL;
}

static gpointer
bulk_reader(gpointer user_data)
{
	Fixture *f = user_data;
	g_autofree guint8 *buf = g_malloc(BULK_CHUNK);
	gsize total = 0;
	gboolean ok = TRUE;

	while (total < BULK_SIZE) {
		struct pollfd pfd = {.fd = f->master, .events = POLLIN};
		gssize n;
		if (poll(&pfd, 1, 5000) != 1)
			break;
		n = read(f->master, buf, BULK_CHUNK);
		if (n <= 0)
			break;
		for (gssize i = 0; i < n; i++)
			ok = ok && buf[i] == bulk_byte(total + (gsize)i);
		total += (gsize)n;
	}
	return GSIZE_TO_POINTER(ok && total == BULK_SIZE);
}

static void
test_throughput(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfTransport) transport = open_tty(f);
	g_autofree guint8 *buf = g_malloc(BULK_CHUNK);
	GThread *thread;
	gsize total = 0;
	guint reads = 0;
	gboolean intact = TRUE;
	gint64 start;
	gdouble secs;

	/* watch to host, the direction of a backup */
	start = g_get_monotonic_time();
	thread = g_thread_new("bulk-writer", bulk_writer, f);
	while (total < BULK_SIZE) {
		gsize got = 0;
		g_assert_true(
			wf_transport_read(transport, buf, BULK_CHUNK, &got, 5000, NULL, &error));
		g_assert_no_error(error);
		for (gsize i = 0; i < got; i++)
			intact = intact && buf[i] == bulk_byte(total + i);
		total += got;
		reads++;
	}
	g_thread_join(thread);
	secs = (g_get_monotonic_time() - start) / 1e6;
	g_assert_cmpuint(total, ==, BULK_SIZE);
	g_assert_true(intact);
	g_test_message("tty read: %.1f MB/s, %u reads, %.0f bytes per read",
		       BULK_SIZE / secs / 1e6,
		       reads,
		       (gdouble)BULK_SIZE / reads);
	g_printerr("tty read: %.1f MB/s, %u reads, %.0f bytes per read\n",
		   BULK_SIZE / secs / 1e6,
		   reads,
		   (gdouble)BULK_SIZE / reads);

	/* host to watch, the direction of a Download Agent upload */
	start = g_get_monotonic_time();
	thread = g_thread_new("bulk-reader", bulk_reader, f);
	for (gsize off = 0; off < BULK_SIZE; off += BULK_CHUNK) {
		for (gsize i = 0; i < BULK_CHUNK; i++)
			buf[i] = bulk_byte(off + i);
		g_assert_true(wf_transport_write(transport, buf, BULK_CHUNK, 5000, NULL, &error));
		g_assert_no_error(error);
	}
	g_assert_true(GPOINTER_TO_SIZE(g_thread_join(thread)));
	secs = (g_get_monotonic_time() - start) / 1e6;
	g_test_message("tty write: %.1f MB/s", BULK_SIZE / secs / 1e6);
	g_printerr("tty write: %.1f MB/s\n", BULK_SIZE / secs / 1e6);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/transport-tty/read-write", test_read_write);
	ADD("/transport-tty/read-timeout", test_read_timeout);
	ADD("/transport-tty/read-exact", test_read_exact_across_writes);
	ADD("/transport-tty/read-cancel", test_read_cancel);
	ADD("/transport-tty/hangup", test_hangup);
	ADD("/transport-tty/exclusive", test_exclusive);
	ADD("/transport-tty/open-errors", test_open_errors);
	ADD("/transport-tty/permission-denied", test_permission_denied);
	ADD("/transport-tty/discard-input", test_discard_input);
	ADD("/transport-tty/factory", test_factory);
	ADD("/transport-tty/serial-missing", test_serial_missing);
	ADD("/transport-tty/serial-real-port", test_serial_real_port);
	ADD("/transport-tty/throughput", test_throughput);
#undef ADD
	return g_test_run();
}
