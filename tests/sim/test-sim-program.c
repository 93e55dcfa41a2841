/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

/*
 * wristflash-sim over a real pty: spawn it, read the ready line, open the
 * link like a serial port, talk BROM, measure the unthrottled path, stop it
 * with SIGTERM.
 */

static const gchar *program_path = NULL;

typedef struct {
	gchar *dir;
	gchar *link;
	gchar *flash;
	GSubprocess *proc;
	GDataInputStream *out;
	int fd;
} Sim;

static JsonObject *
sim_next_event(Sim *sim)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *line = g_data_input_stream_read_line(sim->out, NULL, NULL, &error);
	JsonNode *root;

	g_assert_no_error(error);
	g_assert_nonnull(line);
	g_test_message("wristflash-sim: %s", line);
	json_parser_load_from_data(parser, line, -1, &error);
	g_assert_no_error(error);
	root = json_parser_get_root(parser);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
	return json_object_ref(json_node_get_object(root));
}

/* the program must not outlive a test that aborts */
static void
sim_child_setup(gpointer user_data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static JsonObject *
sim_start(Sim *sim, const gchar *dir)
{
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_autoptr(GError) error = NULL;
	JsonObject *ready;

	sim->dir = g_strdup(dir);
	sim->link = g_build_filename(dir, "watch", NULL);
	sim->flash = g_build_filename(dir, "flash.bin", NULL);
	g_subprocess_launcher_set_child_setup(launcher, sim_child_setup, NULL, NULL);
	sim->proc = g_subprocess_launcher_spawn(launcher,
						&error,
						program_path,
						"--link",
						sim->link,
						"--flash-file",
						sim->flash,
						"--size",
						"4M",
						"--rate",
						"0",
						"--turnaround-ms",
						"0",
						"--fast-nor",
						NULL);
	g_assert_no_error(error);
	sim->out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(sim->proc));
	ready = sim_next_event(sim);
	g_assert_cmpstr(json_object_get_string_member(ready, "event"), ==, "ready");
	g_assert_cmpstr(json_object_get_string_member(ready, "link"), ==, sim->link);
	g_assert_cmpint(json_object_get_int_member(ready, "flash_size"), ==, 4 * 1024 * 1024);
	g_assert_cmpuint(strlen(json_object_get_string_member(ready, "me_id")), ==, 32);
	g_assert_true(g_str_has_prefix(json_object_get_string_member(ready, "port"), "/dev/pts/"));
	return ready;
}

static void
sim_open(Sim *sim)
{
	struct termios tio;

	/* open the symlink like a serial port, raw */
	sim->fd = open(sim->link, O_RDWR | O_NOCTTY | O_CLOEXEC);
	g_assert_cmpint(sim->fd, >=, 0);
	g_assert_cmpint(tcgetattr(sim->fd, &tio), ==, 0);
	cfmakeraw(&tio);
	g_assert_cmpint(tcsetattr(sim->fd, TCSANOW, &tio), ==, 0);
}

static void
sim_write(Sim *sim, const guint8 *buf, gsize len)
{
	gsize done = 0;
	while (done < len) {
		ssize_t n = write(sim->fd, buf + done, len - done);
		g_assert_cmpint(n, >, 0);
		done += (gsize)n;
	}
}

static void
sim_read(Sim *sim, guint8 *buf, gsize len)
{
	gsize done = 0;
	while (done < len) {
		struct pollfd pfd = {sim->fd, POLLIN, 0};
		ssize_t n;
		g_assert_cmpint(poll(&pfd, 1, 3000), ==, 1);
		n = read(sim->fd, buf + done, len - done);
		g_assert_cmpint(n, >, 0);
		done += (gsize)n;
	}
}

static void
sim_exchange(Sim *sim, const gchar *send, gsize send_len, const gchar *expect, gsize expect_len)
{
	g_autofree guint8 *got = g_malloc(expect_len);

	sim_write(sim, (const guint8 *)send, send_len);
	sim_read(sim, got, expect_len);
	g_assert_cmpmem(got, expect_len, expect, expect_len);
}

static void
sim_stop(Sim *sim)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) ev = NULL;

	if (sim->fd >= 0)
		close(sim->fd);
	g_subprocess_send_signal(sim->proc, SIGTERM);
	/* the last event: the port goes because the program shuts down */
	do {
		g_clear_pointer(&ev, json_object_unref);
		ev = sim_next_event(sim);
	} while (g_strcmp0(json_object_get_string_member(ev, "event"), "port-removed") != 0);
	g_assert_cmpstr(json_object_get_string_member(ev, "reason"), ==, "shutdown");
	g_subprocess_wait(sim->proc, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(sim->proc));
	g_assert_cmpint(g_subprocess_get_exit_status(sim->proc), ==, 0);
	g_assert_false(g_file_test(sim->link, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
	g_clear_object(&sim->out);
	g_clear_object(&sim->proc);
	g_free(sim->link);
	g_free(sim->flash);
	g_free(sim->dir);
}

static void
test_smoke(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("wf-sim-program-XXXXXX", &error);
	g_autoptr(JsonObject) ready = NULL;
	g_autoptr(JsonObject) ready2 = NULL;
	g_autoptr(JsonObject) ev = NULL;
	g_autofree gchar *me_id = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree guint8 *data = NULL;
	const gsize words = 0x100000; /* the whole 4 MiB */
	Sim sim = {.fd = -1};
	guint8 status[2];
	gint64 start, elapsed;
	gdouble rate;
	gsize len = 0;

	g_assert_no_error(error);
	ready = sim_start(&sim, dir);
	me_id = g_strdup(json_object_get_string_member(ready, "me_id"));
	g_assert_true(g_file_test(sim.flash, G_FILE_TEST_EXISTS));
	sim_open(&sim);

	/* the handshake, byte by byte, then the BROM */
	sim_exchange(&sim, "\xA0", 1, "\x5F", 1);
	sim_exchange(&sim, "\x0A", 1, "\xF5", 1);
	sim_exchange(&sim, "\x50", 1, "\xAF", 1);
	sim_exchange(&sim, "\x05", 1, "\xFA", 1);
	ev = sim_next_event(&sim);
	g_assert_cmpstr(json_object_get_string_member(ev, "event"), ==, "handshake");
	g_assert_cmpint(json_object_get_int_member(ev, "first_byte_latency_us"), >=, 0);
	sim_exchange(&sim, "\xFF", 1, "\x05", 1);
	sim_exchange(&sim,
		     "\xA2\x80\x00\x00\x08\x00\x00\x00\x01",
		     9,
		     "\xA2\x80\x00\x00\x08\x00\x00\x00\x01\x62\x61",
		     11);

	/* remap 2, then the whole flash in one READ32 */
	sim_exchange(&sim,
		     "\xD4\xA0\x51\x00\x00\x00\x00\x00\x01",
		     9,
		     "\xD4\xA0\x51\x00\x00\x00\x00\x00\x01\x00\x01",
		     11);
	sim_exchange(&sim, "\x00\x00\x00\x02", 4, "\x00\x00\x00\x02\x00\x01", 6);
	data = g_malloc(words * 4);
	start = g_get_monotonic_time();
	sim_exchange(&sim,
		     "\xD1\x00\x00\x00\x00\x00\x10\x00\x00",
		     9,
		     "\xD1\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00",
		     11);
	sim_read(&sim, data, words * 4);
	sim_read(&sim, status, 2);
	elapsed = g_get_monotonic_time() - start;
	rate = (gdouble)(words * 4) * G_USEC_PER_SEC / (gdouble)MAX(elapsed, 1);
	g_test_message("pty path, unthrottled: %.1f MB/s", rate / 1e6);
	g_assert_cmpmem(status, 2, "\x00\x00", 2);
	/* the 20 MB/s target is measured by tests/bench/bench-backup, not asserted
	 * here: a loaded machine must not fail the suite */
	g_file_get_contents(sim.flash, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, words * 4);
	for (gsize i = 0; i < len; i += 4) {
		guint8 swapped[4] = {data[i + 3], data[i + 2], data[i + 1], data[i]};
		if (memcmp(swapped, contents + i, 4) != 0)
			g_assert_cmpmem(swapped, 4, contents + i, 4);
	}
	sim_stop(&sim);

	/* the same flash file is the same watch */
	ready2 = sim_start(&sim, dir);
	g_assert_cmpstr(json_object_get_string_member(ready2, "me_id"), ==, me_id);
	sim_stop(&sim);

	{
		g_autofree gchar *flash = g_build_filename(dir, "flash.bin", NULL);
		g_autofree gchar *identity = g_build_filename(dir, "flash.bin.watch.json", NULL);
		g_unlink(flash);
		g_unlink(identity);
		g_rmdir(dir);
	}
}

static void
test_bad_options(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDERR_SILENCE |
							       G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
						       &error,
						       program_path,
						       "--link",
						       "/nonexistent/watch",
						       "--flash-file",
						       "/nonexistent/flash.bin",
						       "--size",
						       "5M",
						       NULL);
	g_assert_no_error(error);
	g_subprocess_wait(proc, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_subprocess_get_exit_status(proc), !=, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	program_path = argc > 1 ? argv[1] : g_getenv("WF_SIM_PROGRAM");
	if (program_path == NULL) {
		g_printerr("usage: %s PATH-TO-wristflash-sim\n", argv[0]);
		return 1;
	}
	g_test_add_func("/sim/program/smoke", test_smoke);
	g_test_add_func("/sim/program/bad-options", test_bad_options);
	return g_test_run();
}
