/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-catcher.h"

#include <string.h>
#include <unistd.h>

#include "wf-error.h"
#include "wf-port-monitor.h"
#include "wf-transport-factory.h"

/* udev sets the node's group and ACL a few ms after the kernel creates it,
 * so "permission denied" right after the port appears may be transient */
#define WF_CATCHER_PERMISSION_GRACE_MS 500
/* longer than the boot ROM keeps its port: a holder that outlasts this has
 * already cost us this plug-in */
#define WF_CATCHER_BUSY_GRACE_MS 1000
/* retry cadence for a port that exists but cannot be opened yet */
#define WF_CATCHER_REOPEN_MS 10
/* the monitor's poll interval when it falls back to polling */
#define WF_CATCHER_MONITOR_POLL_MS 10

#define WF_CATCHER_HINT_PLUG                                                                       \
	"switch the watch off, then plug it in; the port is open for about a second"
#define WF_CATCHER_HINT_RULE                                                                       \
	"install data/70-wristflash.rules into /etc/udev/rules.d (sudo install -m 0644 "           \
	"data/70-wristflash.rules /etc/udev/rules.d/ && sudo udevadm control --reload) and plug "  \
	"the watch in again, or join the dialout group (sudo usermod -aG dialout $USER) and log "  \
	"in again"

/* what went wrong most recently; decides the error when time runs out */
typedef enum {
	WF_CATCHER_FAILURE_NONE, /* no port was ever seen */
	WF_CATCHER_FAILURE_VANISHED,
	WF_CATCHER_FAILURE_SILENT,
	WF_CATCHER_FAILURE_GARBAGE,
	WF_CATCHER_FAILURE_BUSY,
	WF_CATCHER_FAILURE_PERMISSION,
} WfCatcherFailure;

struct _WfCatcher {
	GObject parent_instance;
	gchar *path;
	WfCatcherOpenFunc opener;
	gpointer opener_data;
	GDestroyNotify opener_destroy;
	WfPortEnumerator *enumerator;
	WfWireLog *wire_log;
	WfCatcherStep step;
	gchar *port_path;
	gint64 first_write_delay_us;
	guint appearances;
};

typedef struct {
	gchar *path;
	gint64 appeared_us;
} WfCatcherCandidate;

/* the state of one wf_catcher_catch() call */
typedef struct {
	WfCatcher *self;
	guint timeout_ms;
	gint64 deadline_us;
	GCancellable *cancellable;
	GMainContext *context; /* monitor mode only */
	WfPortMonitor *monitor;
	GQueue candidates; /* of WfCatcherCandidate */
	gchar *removed_path;
	WfCatcherFailure failure;
	gchar *failure_path;
	GError *failure_error;
} WfCatcherRun;

enum { SIGNAL_STEP_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfCatcher, wf_catcher, G_TYPE_OBJECT)

/**
 * wf_catcher_step_to_string:
 * @step: a #WfCatcherStep
 *
 * Returns: "waiting", "port-found", "handshaking" or "caught"
 */
const gchar *
wf_catcher_step_to_string(WfCatcherStep step)
{
	switch (step) {
	case WF_CATCHER_STEP_WAITING:
		return "waiting";
	case WF_CATCHER_STEP_PORT_FOUND:
		return "port-found";
	case WF_CATCHER_STEP_HANDSHAKING:
		return "handshaking";
	case WF_CATCHER_STEP_CAUGHT:
		return "caught";
	default:
		return "unknown";
	}
}

static void
wf_catcher_finalize(GObject *object)
{
	WfCatcher *self = WF_CATCHER(object);
	if (self->opener_destroy != NULL)
		self->opener_destroy(self->opener_data);
	g_free(self->path);
	g_clear_object(&self->enumerator);
	g_clear_object(&self->wire_log);
	g_free(self->port_path);
	G_OBJECT_CLASS(wf_catcher_parent_class)->finalize(object);
}

static void
wf_catcher_class_init(WfCatcherClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_catcher_finalize;

	/**
	 * WfCatcher::step-changed:
	 * @self: the catcher
	 * @step: the new #WfCatcherStep
	 * @path: (nullable): the port concerned, %NULL while waiting
	 *
	 * Emitted synchronously in the thread running wf_catcher_catch(); keep
	 * handlers short, the boot ROM is waiting.
	 */
	signals[SIGNAL_STEP_CHANGED] = g_signal_new("step-changed",
						    G_TYPE_FROM_CLASS(klass),
						    G_SIGNAL_RUN_LAST,
						    0,
						    NULL,
						    NULL,
						    NULL,
						    G_TYPE_NONE,
						    2,
						    G_TYPE_UINT,
						    G_TYPE_STRING);
}

static void
wf_catcher_init(WfCatcher *self)
{
	self->first_write_delay_us = -1;
}

/**
 * wf_catcher_new:
 *
 * Returns: (transfer full): a new #WfCatcher that watches for any boot-ROM
 *   port until told otherwise
 */
WfCatcher *
wf_catcher_new(void)
{
	return g_object_new(WF_TYPE_CATCHER, NULL);
}

/**
 * wf_catcher_set_path:
 * @self: a #WfCatcher
 * @path: (nullable): the port to wait for, e.g. "/dev/ttyACM0"; it need
 *   not exist yet
 */
void
wf_catcher_set_path(WfCatcher *self, const gchar *path)
{
	g_return_if_fail(WF_IS_CATCHER(self));
	g_free(self->path);
	self->path = g_strdup(path);
}

/**
 * wf_catcher_set_opener:
 * @self: a #WfCatcher
 * @func: (nullable): how to open the port, e.g. the virtual watch's
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * An opener takes precedence over a path.
 */
void
wf_catcher_set_opener(WfCatcher *self,
		      WfCatcherOpenFunc func,
		      gpointer user_data,
		      GDestroyNotify destroy)
{
	g_return_if_fail(WF_IS_CATCHER(self));
	if (self->opener_destroy != NULL)
		self->opener_destroy(self->opener_data);
	self->opener = func;
	self->opener_data = user_data;
	self->opener_destroy = destroy;
}

/**
 * wf_catcher_set_enumerator:
 * @self: a #WfCatcher
 * @enumerator: the enumerator the port monitor polls and probes with
 *
 * Only used when neither an opener nor a path is set. By default the
 * catcher uses one that skips libserialport and the holder scan, to poll
 * fast and cheaply.
 */
void
wf_catcher_set_enumerator(WfCatcher *self, WfPortEnumerator *enumerator)
{
	g_return_if_fail(WF_IS_CATCHER(self));
	g_return_if_fail(WF_IS_PORT_ENUMERATOR(enumerator));
	g_set_object(&self->enumerator, enumerator);
}

/**
 * wf_catcher_set_wire_log:
 * @self: a #WfCatcher
 * @wire_log: (nullable): a wire log every opened transport writes to
 */
void
wf_catcher_set_wire_log(WfCatcher *self, WfWireLog *wire_log)
{
	g_return_if_fail(WF_IS_CATCHER(self));
	g_set_object(&self->wire_log, wire_log);
}

WfCatcherStep
wf_catcher_get_step(WfCatcher *self)
{
	g_return_val_if_fail(WF_IS_CATCHER(self), WF_CATCHER_STEP_WAITING);
	return self->step;
}

/**
 * wf_catcher_get_port_path:
 * @self: a #WfCatcher
 *
 * Returns: (nullable): the port caught, or the last one seen
 */
const gchar *
wf_catcher_get_port_path(WfCatcher *self)
{
	g_return_val_if_fail(WF_IS_CATCHER(self), NULL);
	return self->port_path;
}

/**
 * wf_catcher_get_first_write_delay_us:
 * @self: a #WfCatcher
 *
 * The time from noticing the port (the path existing, the monitor's event,
 * the opener succeeding) to the first 0xA0 going out, for the most recent
 * appearance. The boot ROM may close its port after about a second, so this
 * should be a few milliseconds.
 *
 * Returns: microseconds, or -1 if no port ever appeared
 */
gint64
wf_catcher_get_first_write_delay_us(WfCatcher *self)
{
	g_return_val_if_fail(WF_IS_CATCHER(self), -1);
	return self->first_write_delay_us;
}

/**
 * wf_catcher_get_appearances:
 * @self: a #WfCatcher
 *
 * Returns: how many times a port was opened during the last catch; more
 *   than one means it vanished and came back
 */
guint
wf_catcher_get_appearances(WfCatcher *self)
{
	g_return_val_if_fail(WF_IS_CATCHER(self), 0);
	return self->appearances;
}

static void
wf_catcher_set_step(WfCatcher *self, WfCatcherStep step, const gchar *path)
{
	self->step = step;
	if (path != NULL && g_strcmp0(path, self->port_path) != 0) {
		g_free(self->port_path);
		self->port_path = g_strdup(path);
	}
	g_debug("catch: %s %s", wf_catcher_step_to_string(step), path != NULL ? path : "");
	g_signal_emit(self, signals[SIGNAL_STEP_CHANGED], 0, (guint)step, path);
}

/* ---- failures ----------------------------------------------------------- */

static void
wf_catcher_run_fail(WfCatcherRun *run,
		    WfCatcherFailure failure,
		    const gchar *path,
		    const GError *error)
{
	run->failure = failure;
	g_free(run->failure_path);
	run->failure_path = g_strdup(path);
	g_clear_error(&run->failure_error);
	if (error != NULL)
		run->failure_error = g_error_copy(error);
}

/* "ModemManager (pid 812)", not counting this process; NULL if nobody */
static gchar *
wf_catcher_describe_holders(const gchar *path, gboolean *modem_manager)
{
	g_autoptr(WfPortInfo) info = wf_port_info_new(path);
	g_autoptr(GString) str = g_string_new(NULL);
	GPtrArray *holders;

	*modem_manager = FALSE;
	if (!wf_port_info_refresh_holders(info, NULL))
		return NULL;
	holders = wf_port_info_get_holders(info);
	for (guint i = 0; i < holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(holders, i);
		if (holder->pid == (guint)getpid())
			continue;
		if (holder->is_modem_manager)
			*modem_manager = TRUE;
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append_printf(str, "%s (pid %u)", holder->name, holder->pid);
	}
	if (str->len == 0)
		return NULL;
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
wf_catcher_set_busy_error(const gchar *path, GError **error)
{
	gboolean modem_manager = FALSE;
	g_autofree gchar *holders = wf_catcher_describe_holders(path, &modem_manager);

	if (modem_manager) {
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_BUSY,
			"%s is held open by %s: run `sudo systemctl stop ModemManager` and plug "
			"the watch in again; installing data/70-wristflash.rules into "
			"/etc/udev/rules.d keeps ModemManager away from the watch for good",
			path,
			holders);
	} else if (holders != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_BUSY,
			    "%s is held open by %s: close that program and plug the watch in again",
			    path,
			    holders);
	} else if (wf_port_info_find_process("ModemManager", NULL) != 0) {
		/* without root the fd tables of root's daemons are unreadable */
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_BUSY,
			"%s is busy: another program has it open, probably ModemManager, which "
			"is running: run `sudo systemctl stop ModemManager` and plug the watch in "
			"again; installing data/70-wristflash.rules into /etc/udev/rules.d keeps "
			"ModemManager away from the watch for good",
			path);
	} else {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_BUSY,
			    "%s is busy: another program has it open (`wristflash-cli doctor` may "
			    "name it); close it and plug the watch in again",
			    path);
	}
}

static void
wf_catcher_set_permission_error(const gchar *path, GError **error)
{
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_PERMISSION_DENIED,
		    "you may not open %s: " WF_CATCHER_HINT_RULE,
		    path);
}

/* a hint naming who else has the port, for silence and garbage */
static gchar *
wf_catcher_holders_hint(const gchar *path)
{
	gboolean modem_manager = FALSE;
	g_autofree gchar *holders = NULL;

	if (path == NULL)
		return g_strdup("");
	holders = wf_catcher_describe_holders(path, &modem_manager);
	if (holders == NULL)
		return g_strdup("");
	if (modem_manager)
		return g_strdup_printf("; %s also has it open: run `sudo systemctl stop "
				       "ModemManager` (the udev rule keeps it away for good)",
				       holders);
	return g_strdup_printf("; %s also has it open: close that program", holders);
}

/* WfBrom's handshake error quotes what the port said ("… answered 4F 4F …
 * where …"); the first few bytes help tell an AT modem from line noise */
static gchar *
wf_catcher_garbage_bytes(const GError *error)
{
	const gchar *start;
	const gchar *end;
	gsize len;

	if (error == NULL)
		return NULL;
	start = strstr(error->message, "answered ");
	if (start == NULL)
		return NULL;
	start += strlen("answered ");
	end = strstr(start, " where");
	if (end == NULL)
		return NULL;
	len = (gsize)(end - start);
	/* eight bytes: "4F 4F 4F 4F 4F 4F 4F 4F" */
	if (len > 23)
		return g_strdup_printf("%.*s...", 23, start);
	return g_strndup(start, len);
}

/* "30 s", "1.5 s", "300 ms" */
static gchar *
wf_catcher_format_duration(guint ms)
{
	if (ms < 1000)
		return g_strdup_printf("%u ms", ms);
	if (ms % 1000 == 0 || ms >= 10000)
		return g_strdup_printf("%u s", (ms + 500) / 1000);
	return g_strdup_printf("%.1f s", ms / 1000.0);
}

static void
wf_catcher_run_set_final_error(WfCatcherRun *run, GError **error)
{
	WfCatcher *self = run->self;
	const gchar *path = run->failure_path;
	g_autofree gchar *secs = wf_catcher_format_duration(run->timeout_ms);
	g_autofree gchar *hint = NULL;
	g_autofree gchar *reply = NULL;

	switch (run->failure) {
	case WF_CATCHER_FAILURE_VANISHED:
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_DEVICE_LOST,
			    "%s vanished before the handshake completed: plug it in again; the "
			    "window is about one second",
			    path);
		return;
	case WF_CATCHER_FAILURE_SILENT:
		hint = wf_catcher_holders_hint(path);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_TIMED_OUT,
			    "%s did not answer the handshake within %s: " WF_CATCHER_HINT_PLUG "%s",
			    path,
			    secs,
			    hint);
		return;
	case WF_CATCHER_FAILURE_GARBAGE:
		hint = wf_catcher_holders_hint(path);
		reply = wf_catcher_garbage_bytes(run->failure_error);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_PROTOCOL,
			    "%s answered the handshake with %s, which a boot ROM never sends: "
			    "another program may be using the port, or the watch booted normally "
			    "instead of into its boot ROM%s",
			    path,
			    reply != NULL ? reply : "bytes",
			    hint);
		return;
	case WF_CATCHER_FAILURE_BUSY:
		wf_catcher_set_busy_error(path, error);
		return;
	case WF_CATCHER_FAILURE_PERMISSION:
		wf_catcher_set_permission_error(path, error);
		return;
	case WF_CATCHER_FAILURE_NONE:
	default:
		break;
	}
	if (self->opener != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "the watch did not appear within %s: " WF_CATCHER_HINT_PLUG,
			    secs);
	} else if (self->path != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "%s did not appear within %s: " WF_CATCHER_HINT_PLUG,
			    self->path,
			    secs);
	} else {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "no watch in boot-ROM mode (USB 0e8d:0003) appeared within %s: "
			    "" WF_CATCHER_HINT_PLUG,
			    secs);
	}
}

/* ---- waiting for a port ------------------------------------------------- */

static gboolean
wf_catcher_run_expired(WfCatcherRun *run)
{
	return g_get_monotonic_time() >= run->deadline_us;
}

static gboolean
wf_catcher_run_sleep(WfCatcherRun *run, guint ms, GError **error)
{
	if (g_cancellable_set_error_if_cancelled(run->cancellable, error))
		return FALSE;
	g_usleep((gulong)ms * 1000);
	return !g_cancellable_set_error_if_cancelled(run->cancellable, error);
}

/*
 * A port that exists but cannot be opened: busy and permission errors get a
 * grace period counted from the port's appearance, then end the catch.
 * Returns FALSE with @error set when it is over; TRUE to retry.
 */
static gboolean
wf_catcher_run_open_failed(WfCatcherRun *run,
			   const gchar *path,
			   gint64 appeared_us,
			   GError *error_open,
			   GError **error)
{
	gint64 waited_ms = (g_get_monotonic_time() - appeared_us) / 1000;

	if (g_error_matches(error_open, WF_ERROR, WF_ERROR_BUSY)) {
		wf_catcher_run_fail(run, WF_CATCHER_FAILURE_BUSY, path, error_open);
		if (waited_ms >= WF_CATCHER_BUSY_GRACE_MS || wf_catcher_run_expired(run)) {
			wf_catcher_set_busy_error(path, error);
			return FALSE;
		}
		return TRUE;
	}
	if (g_error_matches(error_open, WF_ERROR, WF_ERROR_PERMISSION_DENIED)) {
		wf_catcher_run_fail(run, WF_CATCHER_FAILURE_PERMISSION, path, error_open);
		if (waited_ms >= WF_CATCHER_PERMISSION_GRACE_MS || wf_catcher_run_expired(run)) {
			wf_catcher_set_permission_error(path, error);
			return FALSE;
		}
		return TRUE;
	}
	/* not a tty, or a bug: waiting longer will not help */
	g_propagate_error(error, g_error_copy(error_open));
	return FALSE;
}

static gboolean
wf_catcher_error_is_gone(const GError *error)
{
	return g_error_matches(error, WF_ERROR, WF_ERROR_NOT_FOUND) ||
	       g_error_matches(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
}

static WfTransport *
wf_catcher_wait_opener(WfCatcherRun *run, gint64 *appeared_us, GError **error)
{
	WfCatcher *self = run->self;
	gint64 first_failure_us = 0;

	for (;;) {
		g_autoptr(GError) error_local = NULL;
		WfTransport *transport;

		if (g_cancellable_set_error_if_cancelled(run->cancellable, error))
			return NULL;
		transport = self->opener(self->opener_data, &error_local);
		if (transport != NULL) {
			*appeared_us = g_get_monotonic_time();
			wf_catcher_set_step(
				self, WF_CATCHER_STEP_PORT_FOUND, wf_transport_get_path(transport));
			return transport;
		}
		if (!wf_catcher_error_is_gone(error_local)) {
			if (first_failure_us == 0)
				first_failure_us = g_get_monotonic_time();
			if (!wf_catcher_run_open_failed(
				    run, "the watch's port", first_failure_us, error_local, error))
				return NULL;
		} else {
			first_failure_us = 0;
		}
		if (wf_catcher_run_expired(run))
			return NULL;
		if (!wf_catcher_run_sleep(run, WF_CATCHER_POLL_MS, error))
			return NULL;
	}
}

static WfTransport *
wf_catcher_wait_path(WfCatcherRun *run, gint64 *appeared_us, GError **error)
{
	WfCatcher *self = run->self;
	gint64 seen_us = 0;

	for (;;) {
		g_autoptr(GError) error_local = NULL;
		WfTransport *transport;
		guint pause_ms = WF_CATCHER_POLL_MS;

		if (g_cancellable_set_error_if_cancelled(run->cancellable, error))
			return NULL;
		if (g_file_test(self->path, G_FILE_TEST_EXISTS)) {
			if (seen_us == 0) {
				seen_us = g_get_monotonic_time();
				wf_catcher_set_step(self, WF_CATCHER_STEP_PORT_FOUND, self->path);
			}
			transport = wf_transport_new_for_path(self->path, &error_local);
			if (transport != NULL) {
				*appeared_us = seen_us;
				return transport;
			}
			if (wf_catcher_error_is_gone(error_local)) {
				/* gone between the test and the open */
				wf_catcher_run_fail(
					run, WF_CATCHER_FAILURE_VANISHED, self->path, error_local);
				wf_catcher_set_step(self, WF_CATCHER_STEP_WAITING, NULL);
				seen_us = 0;
			} else {
				if (!wf_catcher_run_open_failed(
					    run, self->path, seen_us, error_local, error))
					return NULL;
				pause_ms = WF_CATCHER_REOPEN_MS;
			}
		} else if (seen_us != 0) {
			wf_catcher_set_step(self, WF_CATCHER_STEP_WAITING, NULL);
			seen_us = 0;
		}
		if (wf_catcher_run_expired(run))
			return NULL;
		if (!wf_catcher_run_sleep(run, pause_ms, error))
			return NULL;
	}
}

static void
wf_catcher_candidate_free(WfCatcherCandidate *candidate)
{
	g_free(candidate->path);
	g_free(candidate);
}

static void
wf_catcher_run_add_candidate(WfCatcherRun *run, WfPortInfo *info)
{
	WfCatcherCandidate *candidate;

	if (!wf_port_info_is_boot_rom(info))
		return;
	candidate = g_new0(WfCatcherCandidate, 1);
	candidate->path = g_strdup(wf_port_info_get_path(info));
	candidate->appeared_us = g_get_monotonic_time();
	g_queue_push_tail(&run->candidates, candidate);
}

static void
wf_catcher_port_added_cb(WfPortMonitor *monitor, WfPortInfo *info, gpointer user_data)
{
	wf_catcher_run_add_candidate(user_data, info);
}

static void
wf_catcher_port_removed_cb(WfPortMonitor *monitor, WfPortInfo *info, gpointer user_data)
{
	WfCatcherRun *run = user_data;
	g_free(run->removed_path);
	run->removed_path = g_strdup(wf_port_info_get_path(info));
}

static gboolean
wf_catcher_run_start_monitor(WfCatcherRun *run, GError **error)
{
	WfCatcher *self = run->self;
	g_autoptr(WfPortEnumerator) enumerator = NULL;
	g_autoptr(GPtrArray) ports = NULL;

	if (self->enumerator != NULL) {
		enumerator = g_object_ref(self->enumerator);
	} else {
		/* a boot-ROM port is always ttyACM or ttyUSB; skipping
		 * libserialport keeps a 10 ms poll cheap */
		enumerator = wf_port_enumerator_new();
		wf_port_enumerator_set_use_libserialport(enumerator, FALSE);
		wf_port_enumerator_set_find_holders(enumerator, FALSE);
	}
	/* the monitor's signals come in the thread-default context of its
	 * creator: a private one, iterated by this thread while it waits */
	run->context = g_main_context_new();
	g_main_context_push_thread_default(run->context);
	run->monitor = wf_port_monitor_new(enumerator);
	wf_port_monitor_set_poll_interval(run->monitor, WF_CATCHER_MONITOR_POLL_MS);
	g_signal_connect(run->monitor, "port-added", G_CALLBACK(wf_catcher_port_added_cb), run);
	g_signal_connect(run->monitor, "port-removed", G_CALLBACK(wf_catcher_port_removed_cb), run);
	if (!wf_port_monitor_start(run->monitor, error))
		return FALSE;
	/* a boot-ROM port that is already there is worth a try too */
	ports = wf_port_monitor_get_ports(run->monitor);
	for (guint i = 0; i < ports->len; i++)
		wf_catcher_run_add_candidate(run, g_ptr_array_index(ports, i));
	return TRUE;
}

static void
wf_catcher_run_iterate(WfCatcherRun *run)
{
	if (run->context == NULL)
		return;
	while (g_main_context_iteration(run->context, FALSE))
		;
}

static WfTransport *
wf_catcher_wait_monitor(WfCatcherRun *run, gint64 *appeared_us, GError **error)
{
	WfCatcher *self = run->self;

	for (;;) {
		WfCatcherCandidate *candidate;

		if (g_cancellable_set_error_if_cancelled(run->cancellable, error))
			return NULL;
		wf_catcher_run_iterate(run);
		while ((candidate = g_queue_pop_head(&run->candidates)) != NULL) {
			g_autoptr(GError) error_local = NULL;
			WfTransport *transport;

			g_clear_pointer(&run->removed_path, g_free);
			wf_catcher_set_step(self, WF_CATCHER_STEP_PORT_FOUND, candidate->path);
			transport = wf_transport_new_for_path(candidate->path, &error_local);
			if (transport != NULL) {
				*appeared_us = candidate->appeared_us;
				wf_catcher_candidate_free(candidate);
				return transport;
			}
			if (wf_catcher_error_is_gone(error_local)) {
				wf_catcher_run_fail(run,
						    WF_CATCHER_FAILURE_VANISHED,
						    candidate->path,
						    error_local);
				wf_catcher_set_step(self, WF_CATCHER_STEP_WAITING, NULL);
				wf_catcher_candidate_free(candidate);
				continue;
			}
			if (!wf_catcher_run_open_failed(run,
							candidate->path,
							candidate->appeared_us,
							error_local,
							error)) {
				wf_catcher_candidate_free(candidate);
				return NULL;
			}
			/* try it again after the others */
			g_queue_push_tail(&run->candidates, candidate);
			break;
		}
		if (wf_catcher_run_expired(run))
			return NULL;
		if (!wf_catcher_run_sleep(run, WF_CATCHER_POLL_MS, error))
			return NULL;
	}
}

static WfTransport *
wf_catcher_wait_port(WfCatcherRun *run, gint64 *appeared_us, GError **error)
{
	if (run->self->opener != NULL)
		return wf_catcher_wait_opener(run, appeared_us, error);
	if (run->self->path != NULL)
		return wf_catcher_wait_path(run, appeared_us, error);
	return wf_catcher_wait_monitor(run, appeared_us, error);
}

/* ---- the handshake ------------------------------------------------------ */

static gboolean
wf_catcher_run_port_gone(WfCatcherRun *run, const gchar *path)
{
	WfCatcher *self = run->self;

	if (self->opener != NULL)
		return FALSE; /* only the transport can tell */
	if (run->monitor != NULL) {
		wf_catcher_run_iterate(run);
		if (g_strcmp0(run->removed_path, path) == 0)
			return TRUE;
	}
	return !g_file_test(path, G_FILE_TEST_EXISTS);
}

/*
 * Spams the handshake on an open port until it works, the port goes away or
 * time runs out. Returns the #WfBrom when caught; NULL with @error set to
 * give up (cancelled); NULL without error to go back to waiting.
 */
static WfBrom *
wf_catcher_run_handshake(WfCatcherRun *run,
			 WfTransport *transport,
			 gint64 appeared_us,
			 GError **error)
{
	WfCatcher *self = run->self;
	g_autoptr(WfBrom) brom = NULL;
	g_autofree gchar *path = g_strdup(wf_transport_get_path(transport));
	gboolean first = TRUE;

	if (self->wire_log != NULL)
		wf_transport_set_wire_log(transport, self->wire_log);
	brom = wf_brom_new(transport);
	wf_catcher_set_step(self, WF_CATCHER_STEP_HANDSHAKING, path);
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		gint64 remaining_ms = (run->deadline_us - g_get_monotonic_time()) / 1000;
		WfBromHandshakeResult result = WF_BROM_HANDSHAKE_DONE;
		guint attempt_ms;

		/* a port that shows up at the last moment still gets one try */
		if (remaining_ms <= 0 && !first)
			return NULL;
		attempt_ms = (guint)CLAMP(remaining_ms, 1, WF_CATCHER_ATTEMPT_MS);
		if (first) {
			attempt_ms = MAX(attempt_ms, WF_BROM_HANDSHAKE_BYTE_TIMEOUT_MS * 4);
			self->first_write_delay_us = g_get_monotonic_time() - appeared_us;
			first = FALSE;
		}
		if (wf_brom_handshake(brom, attempt_ms, &result, run->cancellable, &error_local)) {
			g_debug("caught %s (%s) %.1f ms after it appeared",
				path,
				result == WF_BROM_HANDSHAKE_ALREADY_DONE ? "handshake already done"
									 : "handshake done",
				(g_get_monotonic_time() - appeared_us) / 1000.0);
			return g_steal_pointer(&brom);
		}
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (g_error_matches(error_local, WF_ERROR, WF_ERROR_TIMED_OUT)) {
			wf_catcher_run_fail(run, WF_CATCHER_FAILURE_SILENT, path, error_local);
		} else if (g_error_matches(error_local, WF_ERROR, WF_ERROR_PROTOCOL)) {
			wf_catcher_run_fail(run, WF_CATCHER_FAILURE_GARBAGE, path, error_local);
		} else {
			/* lost, or a read/write error: the port is going away */
			g_debug("%s: %s", path, error_local->message);
			wf_catcher_run_fail(run, WF_CATCHER_FAILURE_VANISHED, path, error_local);
			return NULL;
		}
		if (wf_catcher_run_port_gone(run, path)) {
			wf_catcher_run_fail(run, WF_CATCHER_FAILURE_VANISHED, path, NULL);
			return NULL;
		}
	}
}

static void
wf_catcher_run_clear(WfCatcherRun *run)
{
	if (run->monitor != NULL) {
		wf_port_monitor_stop(run->monitor);
		g_signal_handlers_disconnect_by_data(run->monitor, run);
		g_clear_object(&run->monitor);
	}
	if (run->context != NULL) {
		wf_catcher_run_iterate(run);
		g_main_context_pop_thread_default(run->context);
		g_clear_pointer(&run->context, g_main_context_unref);
	}
	g_queue_clear_full(&run->candidates, (GDestroyNotify)wf_catcher_candidate_free);
	g_free(run->removed_path);
	g_free(run->failure_path);
	g_clear_error(&run->failure_error);
}

/**
 * wf_catcher_catch:
 * @self: a #WfCatcher
 * @timeout_ms: how long to wait in total, including every reappearance
 * @cancellable: (nullable): a #GCancellable
 * @error: (nullable): return location for a #GError
 *
 * Waits for the port, opens it within milliseconds of its appearance and
 * repeats the handshake until the boot ROM answers. If the port vanishes
 * (an unattended watch re-enumerates every ~3.5 s) it waits for it again.
 *
 * Errors: %WF_ERROR_NOT_FOUND (no port in time), %WF_ERROR_DEVICE_LOST (it
 * vanished and did not come back), %WF_ERROR_TIMED_OUT (it never answered),
 * %WF_ERROR_PROTOCOL (it answered garbage), %WF_ERROR_BUSY and
 * %WF_ERROR_PERMISSION_DENIED (could not open it), %G_IO_ERROR_CANCELLED.
 * Each message says what to do.
 *
 * Returns: (transfer full): a #WfBrom in its command loop, its transport
 *   open, or %NULL
 */
WfBrom *
wf_catcher_catch(WfCatcher *self, guint timeout_ms, GCancellable *cancellable, GError **error)
{
	WfCatcherRun run = {
		.self = self,
		.timeout_ms = timeout_ms,
		.deadline_us = g_get_monotonic_time() + (gint64)timeout_ms * 1000,
		.cancellable = cancellable,
	};
	WfBrom *brom = NULL;

	g_return_val_if_fail(WF_IS_CATCHER(self), NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	g_queue_init(&run.candidates);
	self->first_write_delay_us = -1;
	self->appearances = 0;
	g_clear_pointer(&self->port_path, g_free);
	wf_catcher_set_step(self, WF_CATCHER_STEP_WAITING, NULL);

	if (self->opener == NULL && self->path == NULL &&
	    !wf_catcher_run_start_monitor(&run, error)) {
		wf_catcher_run_clear(&run);
		return NULL;
	}
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(WfTransport) transport = NULL;
		gint64 appeared_us = 0;

		transport = wf_catcher_wait_port(&run, &appeared_us, &error_local);
		if (transport == NULL) {
			if (error_local != NULL)
				g_propagate_error(error, g_steal_pointer(&error_local));
			else
				wf_catcher_run_set_final_error(&run, error);
			break;
		}
		self->appearances++;
		brom = wf_catcher_run_handshake(&run, transport, appeared_us, &error_local);
		if (brom != NULL) {
			wf_catcher_set_step(self, WF_CATCHER_STEP_CAUGHT, self->port_path);
			break;
		}
		wf_transport_close(transport, NULL);
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			break;
		}
		if (wf_catcher_run_expired(&run)) {
			wf_catcher_run_set_final_error(&run, error);
			break;
		}
		wf_catcher_set_step(self, WF_CATCHER_STEP_WAITING, NULL);
	}
	wf_catcher_run_clear(&run);
	return brom;
}
