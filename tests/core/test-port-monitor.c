/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wf-port-monitor.h"

/* The polling fallback, driven by a temp dir of symlinks to a real pty
 * (GUdev cannot be exercised here: no udevd, no umockdev). */

typedef struct {
	gchar *root;
	gchar *dev;
	gchar *sys;
	GArray *masters;   /* one pty per node: links to one pty are one port */
	GPtrArray *events; /* "+path" / "-path" */
	GThread *emit_thread;
	gint64 last_event_us;
} Fixture;

static void
on_port_added(WfPortMonitor *monitor, WfPortInfo *info, gpointer user_data)
{
	Fixture *fx = user_data;
	g_autofree gchar *name = g_path_get_basename(wf_port_info_get_path(info));
	g_ptr_array_add(fx->events, g_strdup_printf("+%s", name));
	fx->emit_thread = g_thread_self();
	fx->last_event_us = g_get_monotonic_time();
}

static void
on_port_removed(WfPortMonitor *monitor, WfPortInfo *info, gpointer user_data)
{
	Fixture *fx = user_data;
	g_autofree gchar *name = g_path_get_basename(wf_port_info_get_path(info));
	g_ptr_array_add(fx->events, g_strdup_printf("-%s", name));
	fx->emit_thread = g_thread_self();
	fx->last_event_us = g_get_monotonic_time();
}

static void
fixture_set_up(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	fx->root = g_dir_make_tmp("wf-mon-XXXXXX", &error);
	g_assert_no_error(error);
	fx->dev = g_build_filename(fx->root, "dev", NULL);
	fx->sys = g_build_filename(fx->root, "sys", NULL);
	g_assert_cmpint(g_mkdir_with_parents(fx->dev, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(fx->sys, 0755), ==, 0);
	fx->masters = g_array_new(FALSE, FALSE, sizeof(int));
	fx->events = g_ptr_array_new_with_free_func(g_free);
}

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
fixture_tear_down(Fixture *fx, gconstpointer user_data)
{
	for (guint i = 0; i < fx->masters->len; i++)
		close(g_array_index(fx->masters, int, i));
	g_array_unref(fx->masters);
	rm_rf(fx->root);
	g_free(fx->root);
	g_free(fx->dev);
	g_free(fx->sys);
	g_ptr_array_unref(fx->events);
}

static void
fixture_add_node(Fixture *fx, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(fx->dev, name, NULL);
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	g_assert_cmpint(master, >=, 0);
	g_assert_cmpint(grantpt(master), ==, 0);
	g_assert_cmpint(unlockpt(master), ==, 0);
	g_array_append_val(fx->masters, master);
	g_assert_cmpint(symlink(ptsname(master), path), ==, 0);
}

static void
fixture_remove_node(Fixture *fx, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(fx->dev, name, NULL);
	g_assert_cmpint(g_unlink(path), ==, 0);
}

/* gives a node a USB identity in the fake sysfs (cdc_acm layout) */
static void
fixture_set_usb_ids(Fixture *fx, const gchar *name, const gchar *vid, const gchar *pid)
{
	g_autofree gchar *usb = g_build_filename(fx->sys, "devices", "usb1", name, NULL);
	g_autofree gchar *intf = g_build_filename(usb, "1.0", NULL);
	g_autofree gchar *tty = g_build_filename(fx->sys, "class", "tty", name, NULL);
	g_autofree gchar *link = g_build_filename(tty, "device", NULL);
	g_autofree gchar *fn_vid = g_build_filename(usb, "idVendor", NULL);
	g_autofree gchar *fn_pid = g_build_filename(usb, "idProduct", NULL);

	g_assert_cmpint(g_mkdir_with_parents(intf, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(tty, 0755), ==, 0);
	g_assert_true(g_file_set_contents(fn_vid, vid, -1, NULL));
	g_assert_true(g_file_set_contents(fn_pid, pid, -1, NULL));
	if (!g_file_test(link, G_FILE_TEST_IS_SYMLINK))
		g_assert_cmpint(symlink(intf, link), ==, 0);
}

static WfPortMonitor *
fixture_new_monitor(Fixture *fx)
{
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	WfPortMonitor *monitor;

	wf_port_enumerator_set_dev_dir(enumerator, fx->dev);
	wf_port_enumerator_set_sysfs_dir(enumerator, fx->sys);
	wf_port_enumerator_set_find_holders(enumerator, FALSE);
	monitor = wf_port_monitor_new(enumerator);
	wf_port_monitor_set_use_gudev(monitor, FALSE);
	wf_port_monitor_set_poll_interval(monitor, 10);
	g_signal_connect(monitor, "port-added", G_CALLBACK(on_port_added), fx);
	g_signal_connect(monitor, "port-removed", G_CALLBACK(on_port_removed), fx);
	return monitor;
}

/* iterates @context until @count events arrived or @timeout_ms passed */
static gboolean
fixture_wait_events(Fixture *fx, GMainContext *context, guint count, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	while (fx->events->len < count && g_get_monotonic_time() < deadline) {
		if (!g_main_context_iteration(context, FALSE))
			g_usleep(1000);
	}
	return fx->events->len >= count;
}

static const gchar *
fixture_event(Fixture *fx, guint i)
{
	return g_ptr_array_index(fx->events, i);
}

static void
test_port_monitor_polling(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfPortMonitor) monitor = NULL;
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	gint64 t_created;

	fixture_add_node(fx, "ttyACM0");
	monitor = fixture_new_monitor(fx);
	g_assert_true(wf_port_monitor_start(monitor, &error));
	g_assert_no_error(error);
	g_assert_true(wf_port_monitor_is_polling(monitor));

	/* ports present at start are listed, not announced */
	ports = wf_port_monitor_get_ports(monitor);
	g_assert_cmpuint(ports->len, ==, 1);
	g_assert_false(fixture_wait_events(fx, NULL, 1, 50));

	/* a new node is announced within a few poll intervals */
	t_created = g_get_monotonic_time();
	fixture_add_node(fx, "ttyACM1");
	g_assert_true(fixture_wait_events(fx, NULL, 1, 2000));
	g_test_message("port-added %.1f ms after the node appeared (poll 10 ms)",
		       (fx->last_event_us - t_created) / 1000.0);
	g_assert_cmpint(fx->last_event_us - t_created, <, 500 * 1000);
	g_assert_cmpstr(fixture_event(fx, 0), ==, "+ttyACM1");
	g_clear_pointer(&ports, g_ptr_array_unref);
	ports = wf_port_monitor_get_ports(monitor);
	g_assert_cmpuint(ports->len, ==, 2);

	fixture_remove_node(fx, "ttyACM1");
	g_assert_true(fixture_wait_events(fx, NULL, 2, 2000));
	g_assert_cmpstr(fixture_event(fx, 1), ==, "-ttyACM1");

	/* the same path turning into the boot ROM: gone, then back */
	fixture_set_usb_ids(fx, "ttyACM0", "0e8d\n", "0003\n");
	g_assert_true(fixture_wait_events(fx, NULL, 4, 2000));
	g_assert_cmpstr(fixture_event(fx, 2), ==, "-ttyACM0");
	g_assert_cmpstr(fixture_event(fx, 3), ==, "+ttyACM0");
	g_clear_pointer(&ports, g_ptr_array_unref);
	ports = wf_port_monitor_get_ports(monitor);
	g_assert_cmpuint(ports->len, ==, 1);
	g_assert_true(wf_port_info_is_boot_rom(g_ptr_array_index(ports, 0)));

	/* nothing after stop */
	wf_port_monitor_stop(monitor);
	g_assert_false(wf_port_monitor_is_polling(monitor));
	fixture_add_node(fx, "ttyUSB0");
	g_assert_false(fixture_wait_events(fx, NULL, 5, 100));
}

static void
test_port_monitor_no_udev_falls_back(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(WfPortMonitor) monitor = NULL;
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	g_autoptr(GError) error = NULL;

	if (g_file_test("/run/udev/control", G_FILE_TEST_EXISTS)) {
		g_test_skip("udev is running here; the fallback is not taken");
		return;
	}
	wf_port_enumerator_set_dev_dir(enumerator, fx->dev);
	monitor = wf_port_monitor_new(enumerator);
	g_signal_connect(monitor, "port-added", G_CALLBACK(on_port_added), fx);
	g_assert_true(wf_port_monitor_start(monitor, &error));
	g_assert_no_error(error);
	g_assert_true(wf_port_monitor_is_polling(monitor));
	fixture_add_node(fx, "ttyACM4");
	g_assert_true(fixture_wait_events(fx, NULL, 1, 2000));
	g_assert_cmpstr(fixture_event(fx, 0), ==, "+ttyACM4");
}

typedef struct {
	Fixture *fx;
	GThread *thread;
	gboolean started;
	gboolean got_event;
	GMutex mutex;
	GCond cond;
} ThreadData;

static gpointer
monitor_thread(gpointer user_data)
{
	ThreadData *td = user_data;
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(WfPortMonitor) monitor = NULL;

	g_main_context_push_thread_default(context);
	monitor = fixture_new_monitor(td->fx);
	g_assert_true(wf_port_monitor_start(monitor, NULL));
	g_mutex_lock(&td->mutex);
	td->started = TRUE;
	g_cond_signal(&td->cond);
	g_mutex_unlock(&td->mutex);
	td->got_event = fixture_wait_events(td->fx, context, 1, 2000);
	g_clear_object(&monitor);
	g_main_context_pop_thread_default(context);
	return NULL;
}

/* signals come in the creator's thread-default context, in its thread */
static void
test_port_monitor_thread_context(Fixture *fx, gconstpointer user_data)
{
	ThreadData td = {.fx = fx};

	g_mutex_init(&td.mutex);
	g_cond_init(&td.cond);
	td.thread = g_thread_new("monitor", monitor_thread, &td);
	g_mutex_lock(&td.mutex);
	while (!td.started)
		g_cond_wait(&td.cond, &td.mutex);
	g_mutex_unlock(&td.mutex);

	fixture_add_node(fx, "ttyACM7");
	/* iterating the main thread's default context must not deliver it */
	for (guint i = 0; i < 20; i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	g_thread_join(td.thread);
	g_assert_true(td.got_event);
	g_assert_cmpstr(fixture_event(fx, 0), ==, "+ttyACM7");
	g_assert_true(fx->emit_thread == td.thread);
	g_mutex_clear(&td.mutex);
	g_cond_clear(&td.cond);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add("/port-monitor/polling",
		   Fixture,
		   NULL,
		   fixture_set_up,
		   test_port_monitor_polling,
		   fixture_tear_down);
	g_test_add("/port-monitor/no-udev-falls-back",
		   Fixture,
		   NULL,
		   fixture_set_up,
		   test_port_monitor_no_udev_falls_back,
		   fixture_tear_down);
	g_test_add("/port-monitor/thread-context",
		   Fixture,
		   NULL,
		   fixture_set_up,
		   test_port_monitor_thread_context,
		   fixture_tear_down);
	return g_test_run();
}
