/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

/* posix_openpt(), ptsname_r() */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "wf-error.h"
#include "wf-sim-watch.h"

/*
 * wristflash-sim: the virtual watch behind a pseudo-terminal, so that any
 * program (our CLI, mtkclient, a terminal) can talk to it like to
 * /dev/ttyACM0. Every appearance of the watch's port is a new pty; PATH is a
 * symlink to its slave side and disappears while the port is gone. Events
 * go to stdout as one JSON object per line.
 */

#define WF_SIM_MAIN_CHUNK (64 * 1024)
/* how long a vanishing port waits for the host to read the last bytes */
#define WF_SIM_MAIN_FLUSH_GRACE_US 200000
/* an integer option that was not given */
#define WF_SIM_MAIN_UNSET G_MININT

typedef struct _WfSimPty WfSimPty;

typedef struct {
	gchar *link_path;
	GMutex print_mutex;
	WfSimPty *pty; /* the port that exists now; only the watch's thread touches it */
} WfSimMain;

struct _WfSimPty {
	WfSimMain *main;
	WfSimLink *link;
	guint generation;
	int master;
	int slave;
	int wake[2];
	gchar *slave_name;
	GThread *to_watch;
	GThread *to_host;
	gint to_host_done; /* atomic */
};

static void
wf_sim_main_print(WfSimMain *self, JsonBuilder *builder)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *line = NULL;

	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	line = json_generator_to_data(generator, NULL);
	g_mutex_lock(&self->print_mutex);
	fprintf(stdout, "%s\n", line);
	fflush(stdout);
	g_mutex_unlock(&self->print_mutex);
}

static JsonBuilder *
wf_sim_main_event_new(const gchar *name)
{
	JsonBuilder *builder = json_builder_new();
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "event");
	json_builder_add_string_value(builder, name);
	return builder;
}

static void
wf_sim_main_add_string(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, value);
}

static void
wf_sim_main_add_int(JsonBuilder *builder, const gchar *name, gint64 value)
{
	json_builder_set_member_name(builder, name);
	json_builder_add_int_value(builder, value);
}

/* ---- pumps ---------------------------------------------------------------- */

/* waits until @fd is ready for @events or the wake pipe fires; FALSE = stop */
static gboolean
wf_sim_main_wait_fd(WfSimPty *pty, int fd, short events)
{
	struct pollfd fds[2] = {{fd, events, 0}, {pty->wake[0], POLLIN, 0}};

	for (;;) {
		int rc = poll(fds, 2, -1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0 || (fds[1].revents & POLLIN))
			return FALSE;
		if (fds[0].revents & (events | POLLHUP | POLLERR))
			return (fds[0].revents & events) != 0;
	}
}

/* host → watch: what the host wrote to the slave */
static gpointer
wf_sim_main_to_watch(gpointer data)
{
	WfSimPty *pty = data;
	g_autofree guint8 *buf = g_malloc(WF_SIM_MAIN_CHUNK);

	while (wf_sim_main_wait_fd(pty, pty->master, POLLIN)) {
		g_autoptr(GError) error = NULL;
		ssize_t n = read(pty->master, buf, WF_SIM_MAIN_CHUNK);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		if (!wf_sim_link_write(pty->link,
				       WF_SIM_DIRECTION_OUT,
				       buf,
				       (gsize)n,
				       WF_SIM_FOREVER,
				       NULL,
				       &error))
			break;
	}
	return NULL;
}

static gboolean
wf_sim_main_write_all(WfSimPty *pty, const guint8 *buf, gsize len)
{
	gsize done = 0;

	while (done < len) {
		ssize_t n = write(pty->master, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (!wf_sim_main_wait_fd(pty, pty->master, POLLOUT))
				return FALSE;
			continue;
		}
		if (n <= 0)
			return FALSE;
		done += (gsize)n;
	}
	return TRUE;
}

/* watch → host: the watch's bytes, onto the slave's input queue */
static gpointer
wf_sim_main_to_host(gpointer data)
{
	WfSimPty *pty = data;
	g_autofree guint8 *buf = g_malloc(WF_SIM_MAIN_CHUNK);

	for (;;) {
		g_autoptr(GError) error = NULL;
		gsize got = 0;

		if (!wf_sim_link_read(pty->link,
				      WF_SIM_DIRECTION_IN,
				      buf,
				      WF_SIM_MAIN_CHUNK,
				      &got,
				      WF_SIM_FOREVER,
				      NULL,
				      &error))
			break;
		if (!wf_sim_main_write_all(pty, buf, got))
			break;
	}
	g_atomic_int_set(&pty->to_host_done, TRUE);
	return NULL;
}

/* ---- the pty of one port appearance ---------------------------------------- */

static gboolean
wf_sim_main_point_link(const gchar *link_path, const gchar *target, GError **error)
{
	g_autofree gchar *tmp = g_strdup_printf("%s.%d.tmp", link_path, (int)getpid());

	g_unlink(tmp);
	if (symlink(target, tmp) < 0 || rename(tmp, link_path) < 0) {
		int errsv = errno;
		g_unlink(tmp);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_WRITE,
			    "cannot point %s at %s: %s",
			    link_path,
			    target,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_sim_main_open_pty(WfSimPty *pty, GError **error)
{
	struct termios tio;
	char name[128];

	pty->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (pty->master < 0 || grantpt(pty->master) < 0 || unlockpt(pty->master) < 0 ||
	    ptsname_r(pty->master, name, sizeof(name)) != 0) {
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "no pty: %s", g_strerror(errno));
		return FALSE;
	}
	pty->slave_name = g_strdup(name);
	/* our own slave descriptor keeps the line up (and its settings) while no
	 * host has it open */
	pty->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (pty->slave < 0 || tcgetattr(pty->slave, &tio) < 0) {
		g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s: %s", name, g_strerror(errno));
		return FALSE;
	}
	cfmakeraw(&tio);
	cfsetspeed(&tio, B115200);
	if (tcsetattr(pty->slave, TCSANOW, &tio) < 0 ||
	    fcntl(pty->master, F_SETFL, fcntl(pty->master, F_GETFL) | O_NONBLOCK) < 0 ||
	    !g_unix_open_pipe(pty->wake, FD_CLOEXEC, error)) {
		if (error != NULL && *error == NULL)
			g_set_error(error, WF_ERROR, WF_ERROR_INTERNAL, "%s", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

static void
wf_sim_main_pty_free(WfSimPty *pty)
{
	if (pty->master >= 0)
		close(pty->master);
	if (pty->slave >= 0)
		close(pty->slave);
	if (pty->wake[0] >= 0)
		close(pty->wake[0]);
	if (pty->wake[1] >= 0)
		close(pty->wake[1]);
	g_clear_object(&pty->link);
	g_free(pty->slave_name);
	g_free(pty);
}

static WfSimPty *
wf_sim_main_pty_new(WfSimMain *self, WfSimLink *link, GError **error)
{
	WfSimPty *pty = g_new0(WfSimPty, 1);

	pty->main = self;
	pty->link = g_object_ref(link);
	pty->generation = wf_sim_link_get_generation(link);
	pty->master = pty->slave = pty->wake[0] = pty->wake[1] = -1;
	if (!wf_sim_main_open_pty(pty, error) ||
	    !wf_sim_main_point_link(self->link_path, pty->slave_name, error)) {
		wf_sim_main_pty_free(pty);
		return NULL;
	}
	pty->to_watch = g_thread_new("wf-sim-to-watch", wf_sim_main_to_watch, pty);
	pty->to_host = g_thread_new("wf-sim-to-host", wf_sim_main_to_host, pty);
	return pty;
}

/* the port vanished: let the host take the last bytes, then hang up */
static void
wf_sim_main_pty_remove(WfSimPty *pty)
{
	gint64 deadline = g_get_monotonic_time() + WF_SIM_MAIN_FLUSH_GRACE_US;
	g_autofree gchar *target = NULL;
	int queued = 0;

	while (!g_atomic_int_get(&pty->to_host_done) && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	while (ioctl(pty->slave, FIONREAD, &queued) == 0 && queued > 0 &&
	       g_get_monotonic_time() < deadline)
		g_usleep(1000);
	if (write(pty->wake[1], "x", 1) < 0)
		g_debug("cannot wake the pumps: %s", g_strerror(errno));
	g_thread_join(pty->to_watch);
	g_thread_join(pty->to_host);
	/* the link may have been re-pointed by someone else meanwhile */
	target = g_file_read_link(pty->main->link_path, NULL);
	if (g_strcmp0(target, pty->slave_name) == 0)
		g_unlink(pty->main->link_path);
	wf_sim_main_pty_free(pty);
}

/* ---- events ---------------------------------------------------------------- */

static gchar *
wf_sim_main_hex(const guint8 *buf, gsize len)
{
	GString *str = g_string_new(NULL);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%02x", buf[i]);
	return g_string_free(str, FALSE);
}

static void
wf_sim_main_port_added(WfSimMain *self, WfSimWatch *watch, const WfSimEvent *event)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) builder = NULL;

	self->pty = wf_sim_main_pty_new(self, event->link, &error);
	if (self->pty == NULL) {
		g_printerr("wristflash-sim: %s\n", error->message);
		wf_sim_link_vanish(event->link, 0);
		return;
	}
	if (event->generation == 1) {
		g_autofree gchar *me_id = wf_sim_main_hex(wf_sim_watch_get_me_id(watch), 16);
		g_autofree gchar *jedec = wf_sim_main_hex(wf_sim_watch_get_jedec(watch), 3);
		g_autofree gchar *jedec_up = g_ascii_strup(jedec, -1);
		builder = wf_sim_main_event_new("ready");
		wf_sim_main_add_string(builder, "port", self->pty->slave_name);
		wf_sim_main_add_string(builder, "link", self->link_path);
		wf_sim_main_add_string(builder, "me_id", me_id);
		wf_sim_main_add_int(
			builder, "flash_size", (gint64)wf_sim_watch_get_flash_size(watch));
		wf_sim_main_add_string(builder, "chip", wf_sim_watch_get_chip(watch));
		wf_sim_main_add_string(builder, "jedec", jedec_up);
	} else {
		builder = wf_sim_main_event_new("port-added");
		wf_sim_main_add_string(builder, "port", self->pty->slave_name);
		wf_sim_main_add_string(builder, "link", self->link_path);
	}
	wf_sim_main_add_int(builder, "generation", event->generation);
	wf_sim_main_print(self, builder);
}

static void
wf_sim_main_port_removed(WfSimMain *self, const WfSimEvent *event)
{
	g_autoptr(JsonBuilder) builder = wf_sim_main_event_new("port-removed");

	if (self->pty != NULL) {
		wf_sim_main_add_string(builder, "port", self->pty->slave_name);
		wf_sim_main_pty_remove(g_steal_pointer(&self->pty));
	}
	wf_sim_main_add_int(builder, "generation", event->generation);
	wf_sim_main_add_string(builder, "reason", event->reason);
	wf_sim_main_print(self, builder);
}

static void
wf_sim_main_event_cb(WfSimWatch *watch, const WfSimEvent *event, gpointer user_data)
{
	WfSimMain *self = user_data;
	g_autoptr(JsonBuilder) builder = NULL;
	g_autofree gchar *hex = NULL;

	switch (event->kind) {
	case WF_SIM_EVENT_PORT_ADDED:
		wf_sim_main_port_added(self, watch, event);
		return;
	case WF_SIM_EVENT_PORT_REMOVED:
		wf_sim_main_port_removed(self, event);
		return;
	case WF_SIM_EVENT_HANDSHAKE:
		builder = wf_sim_main_event_new("handshake");
		wf_sim_main_add_int(builder, "first_byte_latency_us", event->value);
		break;
	case WF_SIM_EVENT_JUMP_DA:
		builder = wf_sim_main_event_new("jump-da");
		hex = g_strdup_printf("0x%08X", event->value);
		wf_sim_main_add_string(builder, "addr", hex);
		break;
	case WF_SIM_EVENT_HALTED:
		builder = wf_sim_main_event_new("halted");
		hex = g_strdup_printf("0x%04X", event->value);
		wf_sim_main_add_string(builder, "status", hex);
		break;
	case WF_SIM_EVENT_RESET:
	default:
		builder = wf_sim_main_event_new(wf_sim_event_kind_to_string(event->kind));
		break;
	}
	wf_sim_main_add_int(builder, "generation", event->generation);
	wf_sim_main_print(self, builder);
}

/* ---- options ---------------------------------------------------------------- */

typedef struct {
	gchar *link;
	gchar *flash_file;
	gchar *chip;
	gchar *size;
	gchar *jedec;
	gint rate;
	gint turnaround_ms;
	gint lifetime_ms;
	gint charger_wdt_ms;
	gint reappear_gap_ms;
	gint reset_delay_ms;
	gchar **faults;
	gboolean fast_nor;
	gboolean verbose;
} WfSimMainOptions;

static void
wf_sim_main_options_clear(WfSimMainOptions *opts)
{
	g_free(opts->link);
	g_free(opts->flash_file);
	g_free(opts->chip);
	g_free(opts->size);
	g_free(opts->jedec);
	g_strfreev(opts->faults);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(WfSimMainOptions, wf_sim_main_options_clear)

static gboolean
wf_sim_main_parse(int *argc, char ***argv, WfSimMainOptions *opts, GError **error)
{
	const GOptionEntry entries[] = {
		{"link",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &opts->link,
		 "Symlink to create, pointing at the port's pty",
		 "PATH"},
		{"flash-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &opts->flash_file,
		 "Flash image of the watch (created if missing)",
		 "FILE"},
		{"chip", 0, 0, G_OPTION_ARG_STRING, &opts->chip, "mt6261 or mt6260", "CHIP"},
		{"size",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &opts->size,
		 "Flash size: 4M, 8M or 16M",
		 "SIZE"},
		{"jedec",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &opts->jedec,
		 "Flash JEDEC id, e.g. C86017",
		 "ID"},
		{"rate",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opts->rate,
		 "Link speed, bytes/s (0 = unthrottled)",
		 "B/S"},
		{"turnaround-ms",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opts->turnaround_ms,
		 "Round-trip latency",
		 "MS"},
		{"lifetime-ms",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opts->lifetime_ms,
		 "Port lifetime without a handshake (0 = forever)",
		 "MS"},
		{"charger-wdt-ms",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opts->charger_wdt_ms,
		 "Charger watchdog after the handshake (0 = off)",
		 "MS"},
		{"reappear-gap-ms",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opts->reappear_gap_ms,
		 "How long a vanished port stays away",
		 "MS"},
		{"reset-delay-ms",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opts->reset_delay_ms,
		 "How long a reset watch stays away",
		 "MS"},
		{"fault",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &opts->faults,
		 "Inject a fault (see docs/simulator.md); repeatable",
		 "SPEC"},
		{"fast-nor",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &opts->fast_nor,
		 "Erase and program take no time",
		 NULL},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &opts->verbose, "Debug messages", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new("- a virtual MT6261 watch");

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_description(context,
					 "Prints one JSON line per event on stdout: ready, "
					 "port-added, port-removed, handshake, reset, jump-da, "
					 "halted.");
	if (!g_option_context_parse(context, argc, argv, error))
		return FALSE;
	if (opts->link == NULL || opts->flash_file == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "--link and --flash-file are required");
		return FALSE;
	}
	{
		const gint values[] = {opts->rate,
				       opts->turnaround_ms,
				       opts->lifetime_ms,
				       opts->charger_wdt_ms,
				       opts->reappear_gap_ms,
				       opts->reset_delay_ms};
		for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
			if (values[i] < 0 && values[i] != WF_SIM_MAIN_UNSET) {
				g_set_error_literal(error,
						    WF_ERROR,
						    WF_ERROR_INVALID_DATA,
						    "rates and times cannot be negative");
				return FALSE;
			}
		}
	}
	return TRUE;
}

static gboolean
wf_sim_main_make_config(WfSimMainOptions *opts, WfSimConfig *config, GError **error)
{
	config->flash_path = g_strdup(opts->flash_file);
	config->chip = opts->chip;
	if (opts->size != NULL && !wf_sim_config_parse_size(opts->size, &config->flash_size, error))
		return FALSE;
	if (opts->jedec != NULL) {
		if (!wf_sim_config_parse_jedec(opts->jedec, config->jedec, error))
			return FALSE;
		config->has_jedec = TRUE;
	}
	if (opts->rate != WF_SIM_MAIN_UNSET)
		config->rate = (guint)opts->rate;
	if (opts->turnaround_ms != WF_SIM_MAIN_UNSET)
		config->turnaround_us = (guint)opts->turnaround_ms * 1000;
	if (opts->lifetime_ms != WF_SIM_MAIN_UNSET)
		config->lifetime_ms = (guint)opts->lifetime_ms;
	if (opts->charger_wdt_ms != WF_SIM_MAIN_UNSET)
		config->charger_wdt_ms = (guint)opts->charger_wdt_ms;
	if (opts->reappear_gap_ms != WF_SIM_MAIN_UNSET)
		config->reappear_gap_ms = (guint)opts->reappear_gap_ms;
	if (opts->reset_delay_ms != WF_SIM_MAIN_UNSET)
		config->reset_delay_ms = (guint)opts->reset_delay_ms;
	if (opts->faults != NULL)
		config->faults = g_strjoinv(",", opts->faults);
	config->fast_nor = opts->fast_nor;
	return TRUE;
}

static gboolean
wf_sim_main_quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	g_auto(WfSimMainOptions) opts = {.rate = WF_SIM_MAIN_UNSET,
					 .turnaround_ms = WF_SIM_MAIN_UNSET,
					 .lifetime_ms = WF_SIM_MAIN_UNSET,
					 .charger_wdt_ms = WF_SIM_MAIN_UNSET,
					 .reappear_gap_ms = WF_SIM_MAIN_UNSET,
					 .reset_delay_ms = WF_SIM_MAIN_UNSET};
	g_autoptr(GError) error = NULL;
	g_autoptr(WfSimWatch) watch = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	WfSimMain self = {0};
	WfSimConfig config;
	guint sig_term, sig_int;

	signal(SIGPIPE, SIG_IGN);
	if (!wf_sim_main_parse(&argc, &argv, &opts, &error)) {
		g_printerr("wristflash-sim: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (opts.verbose)
		g_setenv("G_MESSAGES_DEBUG", "all", TRUE);
	wf_sim_config_init(&config);
	if (!wf_sim_main_make_config(&opts, &config, &error)) {
		g_printerr("wristflash-sim: %s\n", error->message);
		wf_sim_config_clear(&config);
		return EXIT_FAILURE;
	}
	watch = wf_sim_watch_new(&config, &error);
	wf_sim_config_clear(&config);
	if (watch == NULL) {
		g_printerr("wristflash-sim: %s\n", error->message);
		return EXIT_FAILURE;
	}

	self.link_path = opts.link;
	g_mutex_init(&self.print_mutex);
	loop = g_main_loop_new(NULL, FALSE);
	sig_term = g_unix_signal_add(SIGTERM, wf_sim_main_quit_cb, loop);
	sig_int = g_unix_signal_add(SIGINT, wf_sim_main_quit_cb, loop);
	wf_sim_watch_set_event_func(watch, wf_sim_main_event_cb, &self);
	wf_sim_watch_plug_in(watch);
	g_main_loop_run(loop);

	/* unplug: the last port-removed event tears the pty down */
	wf_sim_watch_shutdown(watch);
	g_source_remove(sig_term);
	g_source_remove(sig_int);
	if (!wf_sim_watch_sync(watch, &error)) {
		g_printerr("wristflash-sim: %s\n", error->message);
		return EXIT_FAILURE;
	}
	g_clear_object(&watch);
	g_mutex_clear(&self.print_mutex);
	return EXIT_SUCCESS;
}
