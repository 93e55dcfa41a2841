/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#ifdef HAVE_GUDEV
#include <gudev/gudev.h>
#endif

#include "wf-error.h"
#include "wf-port-monitor.h"

struct _WfPortMonitor {
	GObject parent_instance;
	WfPortEnumerator *enumerator;
	GMainContext *context; /* the creator's; every signal is emitted there */
	GPtrArray *ports;      /* of WfPortInfo, in enumerator order */
	gboolean use_gudev;
	guint poll_ms;
	gboolean started;
	GSource *poll_source;
#ifdef HAVE_GUDEV
	GUdevClient *udev_client;
#endif
};

enum { SIGNAL_PORT_ADDED, SIGNAL_PORT_REMOVED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfPortMonitor, wf_port_monitor, G_TYPE_OBJECT)

static void
wf_port_monitor_dispose(GObject *object)
{
	WfPortMonitor *self = WF_PORT_MONITOR(object);
	wf_port_monitor_stop(self);
	g_clear_object(&self->enumerator);
	G_OBJECT_CLASS(wf_port_monitor_parent_class)->dispose(object);
}

static void
wf_port_monitor_finalize(GObject *object)
{
	WfPortMonitor *self = WF_PORT_MONITOR(object);
	g_ptr_array_unref(self->ports);
	g_main_context_unref(self->context);
	G_OBJECT_CLASS(wf_port_monitor_parent_class)->finalize(object);
}

static void
wf_port_monitor_class_init(WfPortMonitorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = wf_port_monitor_dispose;
	object_class->finalize = wf_port_monitor_finalize;

	/**
	 * WfPortMonitor::port-added:
	 * @self: the monitor
	 * @info: the #WfPortInfo of the new port (no holders: it just appeared)
	 */
	signals[SIGNAL_PORT_ADDED] = g_signal_new("port-added",
						  G_TYPE_FROM_CLASS(klass),
						  G_SIGNAL_RUN_LAST,
						  0,
						  NULL,
						  NULL,
						  NULL,
						  G_TYPE_NONE,
						  1,
						  WF_TYPE_PORT_INFO);
	/**
	 * WfPortMonitor::port-removed:
	 * @self: the monitor
	 * @info: the #WfPortInfo the port had while it existed
	 */
	signals[SIGNAL_PORT_REMOVED] = g_signal_new("port-removed",
						    G_TYPE_FROM_CLASS(klass),
						    G_SIGNAL_RUN_LAST,
						    0,
						    NULL,
						    NULL,
						    NULL,
						    G_TYPE_NONE,
						    1,
						    WF_TYPE_PORT_INFO);
}

static void
wf_port_monitor_init(WfPortMonitor *self)
{
	self->context = g_main_context_ref_thread_default();
	self->ports = g_ptr_array_new_with_free_func(g_object_unref);
	self->use_gudev = TRUE;
	self->poll_ms = WF_PORT_MONITOR_DEFAULT_POLL_MS;
}

/**
 * wf_port_monitor_new:
 * @enumerator: (nullable): the enumerator to poll and probe with; %NULL for
 *   a default one that skips the holder scan (too slow to repeat every poll)
 *
 * Returns: (transfer full): a new, stopped #WfPortMonitor bound to the
 *   calling thread's thread-default main context
 */
WfPortMonitor *
wf_port_monitor_new(WfPortEnumerator *enumerator)
{
	WfPortMonitor *self;

	g_return_val_if_fail(enumerator == NULL || WF_IS_PORT_ENUMERATOR(enumerator), NULL);

	self = g_object_new(WF_TYPE_PORT_MONITOR, NULL);
	if (enumerator != NULL) {
		self->enumerator = g_object_ref(enumerator);
	} else {
		self->enumerator = wf_port_enumerator_new();
		wf_port_enumerator_set_find_holders(self->enumerator, FALSE);
	}
	return self;
}

/**
 * wf_port_monitor_set_use_gudev:
 * @self: a #WfPortMonitor
 * @use_gudev: %FALSE to always poll
 *
 * Must be called before wf_port_monitor_start().
 */
void
wf_port_monitor_set_use_gudev(WfPortMonitor *self, gboolean use_gudev)
{
	g_return_if_fail(WF_IS_PORT_MONITOR(self));
	g_return_if_fail(!self->started);
	self->use_gudev = use_gudev;
}

/**
 * wf_port_monitor_set_poll_interval:
 * @self: a #WfPortMonitor
 * @poll_ms: milliseconds between two polls, at least 1
 *
 * Must be called before wf_port_monitor_start().
 */
void
wf_port_monitor_set_poll_interval(WfPortMonitor *self, guint poll_ms)
{
	g_return_if_fail(WF_IS_PORT_MONITOR(self));
	g_return_if_fail(poll_ms > 0);
	g_return_if_fail(!self->started);
	self->poll_ms = poll_ms;
}

WfPortEnumerator *
wf_port_monitor_get_enumerator(WfPortMonitor *self)
{
	g_return_val_if_fail(WF_IS_PORT_MONITOR(self), NULL);
	return self->enumerator;
}

/**
 * wf_port_monitor_is_polling:
 * @self: a #WfPortMonitor
 *
 * Returns: %TRUE if started and polling, %FALSE if stopped or on GUdev
 */
gboolean
wf_port_monitor_is_polling(WfPortMonitor *self)
{
	g_return_val_if_fail(WF_IS_PORT_MONITOR(self), FALSE);
	return self->poll_source != NULL;
}

static GPtrArray *
wf_port_monitor_copy_ports(WfPortMonitor *self)
{
	GPtrArray *copy = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < self->ports->len; i++)
		g_ptr_array_add(copy, g_object_ref(g_ptr_array_index(self->ports, i)));
	return copy;
}

/**
 * wf_port_monitor_get_ports:
 * @self: a #WfPortMonitor
 *
 * Returns: (transfer container) (element-type WfPortInfo): the ports known
 *   now, boot-ROM ports first
 */
GPtrArray *
wf_port_monitor_get_ports(WfPortMonitor *self)
{
	g_return_val_if_fail(WF_IS_PORT_MONITOR(self), NULL);
	return wf_port_monitor_copy_ports(self);
}

static WfPortInfo *
wf_port_monitor_find(GPtrArray *ports, const gchar *path, guint *index)
{
	for (guint i = 0; i < ports->len; i++) {
		WfPortInfo *info = g_ptr_array_index(ports, i);
		if (g_strcmp0(wf_port_info_get_path(info), path) == 0) {
			if (index != NULL)
				*index = i;
			return info;
		}
	}
	return NULL;
}

static void
wf_port_monitor_emit(WfPortMonitor *self, guint signal_id, GPtrArray *infos)
{
	for (guint i = 0; i < infos->len; i++)
		g_signal_emit(self, signals[signal_id], 0, g_ptr_array_index(infos, i));
}

/* Replaces the known set by @current and announces the difference: removals
 * first, so a port that re-enumerated under the same path reads as
 * "gone, then back". A changed USB identity at one path counts as both. */
static void
wf_port_monitor_update(WfPortMonitor *self, GPtrArray *current)
{
	g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) old = NULL;

	for (guint i = 0; i < self->ports->len; i++) {
		WfPortInfo *info = g_ptr_array_index(self->ports, i);
		WfPortInfo *now = wf_port_monitor_find(current, wf_port_info_get_path(info), NULL);
		if (now == NULL || !wf_port_info_equal(info, now))
			g_ptr_array_add(removed, g_object_ref(info));
	}
	for (guint i = 0; i < current->len; i++) {
		WfPortInfo *info = g_ptr_array_index(current, i);
		WfPortInfo *before =
			wf_port_monitor_find(self->ports, wf_port_info_get_path(info), NULL);
		if (before == NULL || !wf_port_info_equal(info, before))
			g_ptr_array_add(added, g_object_ref(info));
	}
	old = g_steal_pointer(&self->ports);
	self->ports = g_ptr_array_ref(current);
	/* a handler may drop the last reference to the monitor */
	g_object_ref(self);
	wf_port_monitor_emit(self, SIGNAL_PORT_REMOVED, removed);
	wf_port_monitor_emit(self, SIGNAL_PORT_ADDED, added);
	g_object_unref(self);
}

static gboolean
wf_port_monitor_poll_cb(gpointer user_data)
{
	WfPortMonitor *self = WF_PORT_MONITOR(user_data);
	g_autoptr(GPtrArray) current = NULL;
	g_autoptr(GError) error_local = NULL;

	current = wf_port_enumerator_list(self->enumerator, &error_local);
	if (current == NULL) {
		g_debug("polling ports: %s", error_local->message);
		return G_SOURCE_CONTINUE;
	}
	wf_port_monitor_update(self, current);
	return G_SOURCE_CONTINUE;
}

#ifdef HAVE_GUDEV
/* GUdev only hears events that udevd broadcasts; in a container without
 * udevd it would stay silent forever, so poll there instead. */
static gboolean
wf_port_monitor_udev_is_running(void)
{
	return g_file_test("/run/udev/control", G_FILE_TEST_EXISTS);
}

static void
wf_port_monitor_udev_add(WfPortMonitor *self, const gchar *path)
{
	g_autoptr(GPtrArray) current = NULL;
	g_autoptr(WfPortInfo) info = NULL;
	guint index = 0;

	info = wf_port_enumerator_probe(self->enumerator, path, NULL);
	if (info == NULL)
		return;
	if (!wf_port_info_has_usb_ids(info) && !wf_port_enumerator_is_candidate_name(path))
		return;
	current = wf_port_monitor_copy_ports(self);
	if (wf_port_monitor_find(current, path, &index) != NULL)
		g_ptr_array_remove_index(current, index);
	/* boot-ROM ports first, as the enumerator sorts them */
	if (wf_port_info_is_boot_rom(info))
		g_ptr_array_insert(current, 0, g_steal_pointer(&info));
	else
		g_ptr_array_add(current, g_steal_pointer(&info));
	wf_port_monitor_update(self, current);
}

static void
wf_port_monitor_udev_remove(WfPortMonitor *self, const gchar *path)
{
	g_autoptr(GPtrArray) current = NULL;
	guint index = 0;

	if (wf_port_monitor_find(self->ports, path, &index) == NULL)
		return;
	current = wf_port_monitor_copy_ports(self);
	g_ptr_array_remove_index(current, index);
	wf_port_monitor_update(self, current);
}

static void
wf_port_monitor_uevent_cb(GUdevClient *client,
			  const gchar *action,
			  GUdevDevice *device,
			  gpointer user_data)
{
	WfPortMonitor *self = WF_PORT_MONITOR(user_data);
	const gchar *path = g_udev_device_get_device_file(device);

	if (path == NULL)
		return;
	g_debug("uevent %s %s", action, path);
	if (g_strcmp0(action, "add") == 0)
		wf_port_monitor_udev_add(self, path);
	else if (g_strcmp0(action, "remove") == 0)
		wf_port_monitor_udev_remove(self, path);
}

static gboolean
wf_port_monitor_start_gudev(WfPortMonitor *self)
{
	const gchar *subsystems[] = {"tty", NULL};
	g_autoptr(GMainContext) current = NULL;
	gboolean pushed = FALSE;

	if (!self->use_gudev || !wf_port_monitor_udev_is_running())
		return FALSE;
	/* udev only knows the real /dev; a test's fake one must be polled */
	if (g_strcmp0(wf_port_enumerator_get_dev_dir(self->enumerator), "/dev") != 0)
		return FALSE;
	/* GUdevClient attaches its socket to the thread-default context */
	current = g_main_context_ref_thread_default();
	if (current != self->context) {
		g_main_context_push_thread_default(self->context);
		pushed = TRUE;
	}
	self->udev_client = g_udev_client_new(subsystems);
	if (pushed)
		g_main_context_pop_thread_default(self->context);
	if (self->udev_client == NULL)
		return FALSE;
	g_signal_connect(self->udev_client, "uevent", G_CALLBACK(wf_port_monitor_uevent_cb), self);
	return TRUE;
}
#endif

/**
 * wf_port_monitor_start:
 * @self: a #WfPortMonitor
 * @error: (nullable): return location for a #GError
 *
 * Takes the current set of ports (no signals for those; see
 * wf_port_monitor_get_ports()) and starts watching. Call it from the thread
 * that created the monitor.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_port_monitor_start(WfPortMonitor *self, GError **error)
{
	g_autoptr(GPtrArray) initial = NULL;

	g_return_val_if_fail(WF_IS_PORT_MONITOR(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (self->started)
		return TRUE;
	initial = wf_port_enumerator_list(self->enumerator, error);
	if (initial == NULL)
		return FALSE;
	g_ptr_array_unref(self->ports);
	self->ports = g_steal_pointer(&initial);
	self->started = TRUE;
#ifdef HAVE_GUDEV
	if (wf_port_monitor_start_gudev(self)) {
		g_debug("watching ports with GUdev");
		return TRUE;
	}
#endif
	g_debug("polling ports every %u ms", self->poll_ms);
	self->poll_source = g_timeout_source_new(self->poll_ms);
	g_source_set_name(self->poll_source, "[wristflash] port poll");
	g_source_set_callback(self->poll_source, wf_port_monitor_poll_cb, self, NULL);
	g_source_attach(self->poll_source, self->context);
	return TRUE;
}

/**
 * wf_port_monitor_stop:
 * @self: a #WfPortMonitor
 *
 * Stops watching; no signal is emitted after this returns. The known set of
 * ports is kept. Safe to call twice.
 */
void
wf_port_monitor_stop(WfPortMonitor *self)
{
	g_return_if_fail(WF_IS_PORT_MONITOR(self));

	if (self->poll_source != NULL) {
		g_source_destroy(self->poll_source);
		g_clear_pointer(&self->poll_source, g_source_unref);
	}
#ifdef HAVE_GUDEV
	if (self->udev_client != NULL) {
		g_signal_handlers_disconnect_by_data(self->udev_client, self);
		g_clear_object(&self->udev_client);
	}
#endif
	self->started = FALSE;
}
