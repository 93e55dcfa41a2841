/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-port-enumerator.h"

#include <libserialport.h>
#include <stdlib.h>

#include "wf-error.h"

struct _WfPortEnumerator {
	GObject parent_instance;
	gchar *dev_dir;
	gchar *sysfs_dir;
	gboolean use_libserialport;
	gboolean find_holders;
};

G_DEFINE_FINAL_TYPE(WfPortEnumerator, wf_port_enumerator, G_TYPE_OBJECT)

/* sysfs puts the USB device a few levels above the tty's "device" link:
 * ttyACM → interface → device, ttyUSB → usb-serial port → interface → device */
#define WF_PORT_ENUMERATOR_MAX_SYSFS_DEPTH 4

static void
wf_port_enumerator_finalize(GObject *object)
{
	WfPortEnumerator *self = WF_PORT_ENUMERATOR(object);
	g_free(self->dev_dir);
	g_free(self->sysfs_dir);
	G_OBJECT_CLASS(wf_port_enumerator_parent_class)->finalize(object);
}

static void
wf_port_enumerator_class_init(WfPortEnumeratorClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_port_enumerator_finalize;
}

static void
wf_port_enumerator_init(WfPortEnumerator *self)
{
	const gchar *dev_dir = g_getenv("WF_DEV_DIR");
	const gchar *sysfs_dir = g_getenv("WF_SYSFS_DIR");

	self->use_libserialport = TRUE;
	self->find_holders = TRUE;
	self->dev_dir = g_strdup("/dev");
	self->sysfs_dir = g_strdup("/sys");
	if (dev_dir != NULL && dev_dir[0] != '\0')
		wf_port_enumerator_set_dev_dir(self, dev_dir);
	if (sysfs_dir != NULL && sysfs_dir[0] != '\0')
		wf_port_enumerator_set_sysfs_dir(self, sysfs_dir);
}

/**
 * wf_port_enumerator_new:
 *
 * Returns: (transfer full): a new #WfPortEnumerator looking at /dev and /sys
 *   unless $WF_DEV_DIR or $WF_SYSFS_DIR say otherwise
 */
WfPortEnumerator *
wf_port_enumerator_new(void)
{
	return g_object_new(WF_TYPE_PORT_ENUMERATOR, NULL);
}

/**
 * wf_port_enumerator_set_dev_dir:
 * @self: a #WfPortEnumerator
 * @dev_dir: a directory standing in for /dev
 *
 * Also stops asking libserialport, which only knows the real /dev.
 */
void
wf_port_enumerator_set_dev_dir(WfPortEnumerator *self, const gchar *dev_dir)
{
	g_return_if_fail(WF_IS_PORT_ENUMERATOR(self));
	g_return_if_fail(dev_dir != NULL);
	g_free(self->dev_dir);
	self->dev_dir = g_strdup(dev_dir);
	if (g_strcmp0(dev_dir, "/dev") != 0)
		self->use_libserialport = FALSE;
}

const gchar *
wf_port_enumerator_get_dev_dir(WfPortEnumerator *self)
{
	g_return_val_if_fail(WF_IS_PORT_ENUMERATOR(self), NULL);
	return self->dev_dir;
}

/**
 * wf_port_enumerator_set_sysfs_dir:
 * @self: a #WfPortEnumerator
 * @sysfs_dir: a directory standing in for /sys
 *
 * Also stops asking libserialport, which only knows the real /sys.
 */
void
wf_port_enumerator_set_sysfs_dir(WfPortEnumerator *self, const gchar *sysfs_dir)
{
	g_return_if_fail(WF_IS_PORT_ENUMERATOR(self));
	g_return_if_fail(sysfs_dir != NULL);
	g_free(self->sysfs_dir);
	self->sysfs_dir = g_strdup(sysfs_dir);
	if (g_strcmp0(sysfs_dir, "/sys") != 0)
		self->use_libserialport = FALSE;
}

/**
 * wf_port_enumerator_set_use_libserialport:
 * @self: a #WfPortEnumerator
 * @use_libserialport: whether to ask libserialport too
 *
 * Without libserialport only ttyACM and ttyUSB nodes are listed, which is
 * all a boot-ROM port can be; that is cheaper when polling fast.
 */
void
wf_port_enumerator_set_use_libserialport(WfPortEnumerator *self, gboolean use_libserialport)
{
	g_return_if_fail(WF_IS_PORT_ENUMERATOR(self));
	self->use_libserialport = use_libserialport;
}

/**
 * wf_port_enumerator_set_find_holders:
 * @self: a #WfPortEnumerator
 * @find_holders: whether wf_port_enumerator_list() scans the process table
 *
 * The scan reads every process's fd table; pollers turn it off.
 */
void
wf_port_enumerator_set_find_holders(WfPortEnumerator *self, gboolean find_holders)
{
	g_return_if_fail(WF_IS_PORT_ENUMERATOR(self));
	self->find_holders = find_holders;
}

/**
 * wf_port_enumerator_is_candidate_name:
 * @path: a device path or name
 *
 * Returns: %TRUE for the node names a USB boot-ROM port gets on Linux:
 *   ttyACM* (cdc_acm, the default) and ttyUSB* (usbserial generic)
 */
gboolean
wf_port_enumerator_is_candidate_name(const gchar *path)
{
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(path != NULL, FALSE);
	name = g_path_get_basename(path);
	return g_str_has_prefix(name, "ttyACM") || g_str_has_prefix(name, "ttyUSB");
}

static gchar *
wf_port_enumerator_canonicalize(const gchar *path)
{
	char *resolved = realpath(path, NULL);
	gchar *result;

	if (resolved == NULL)
		return g_strdup(path);
	result = g_strdup(resolved);
	free(resolved);
	return result;
}

static gchar *
wf_port_enumerator_read_attr(const gchar *dir, const gchar *attr)
{
	g_autofree gchar *fn = g_build_filename(dir, attr, NULL);
	gchar *value = NULL;

	if (!g_file_get_contents(fn, &value, NULL, NULL))
		return NULL;
	g_strstrip(value);
	if (value[0] == '\0') {
		g_free(value);
		return NULL;
	}
	return value;
}

static gboolean
wf_port_enumerator_parse_usb_id(const gchar *str, guint16 *value)
{
	guint64 tmp = 0;

	if (str == NULL || !g_ascii_string_to_unsigned(str, 16, 0, G_MAXUINT16, &tmp, NULL))
		return FALSE;
	*value = (guint16)tmp;
	return TRUE;
}

/* The tty's sysfs directory, by node name. Symlinks are followed one hop at
 * a time and every name on the way is tried, so both a by-id link
 * (→ ttyACM0) and a test's fake "ttyACM0" (→ /dev/pts/3) find their entry. */
static gchar *
wf_port_enumerator_find_sysfs_tty(WfPortEnumerator *self, const gchar *path)
{
	g_autofree gchar *current = g_strdup(path);

	for (guint hop = 0; hop < 8 && current != NULL; hop++) {
		g_autofree gchar *name = g_path_get_basename(current);
		g_autofree gchar *dir =
			g_build_filename(self->sysfs_dir, "class", "tty", name, NULL);
		g_autofree gchar *target = NULL;

		if (g_file_test(dir, G_FILE_TEST_IS_DIR))
			return g_steal_pointer(&dir);
		target = g_file_read_link(current, NULL);
		if (target == NULL)
			return NULL;
		if (!g_path_is_absolute(target)) {
			g_autofree gchar *parent = g_path_get_dirname(current);
			g_autofree gchar *joined = g_build_filename(parent, target, NULL);
			g_free(current);
			current = g_steal_pointer(&joined);
		} else {
			g_free(current);
			current = g_steal_pointer(&target);
		}
	}
	return NULL;
}

static void
wf_port_enumerator_add_driver(WfPortInfo *info, const gchar *device_dir)
{
	g_autofree gchar *link = g_build_filename(device_dir, "driver", NULL);
	g_autofree gchar *target = g_file_read_link(link, NULL);
	g_autofree gchar *driver = NULL;

	if (target == NULL)
		return;
	driver = g_path_get_basename(target);
	wf_port_info_set_driver(info, driver);
}

/* Walks up from the tty's device to the first ancestor that has USB ids. */
static void
wf_port_enumerator_add_usb_details(WfPortEnumerator *self, WfPortInfo *info, const gchar *path)
{
	g_autofree gchar *tty_dir = wf_port_enumerator_find_sysfs_tty(self, path);
	g_autofree gchar *device_link = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *sysfs_root = wf_port_enumerator_canonicalize(self->sysfs_dir);

	if (tty_dir == NULL)
		return;
	device_link = g_build_filename(tty_dir, "device", NULL);
	if (!g_file_test(device_link, G_FILE_TEST_EXISTS))
		return;
	wf_port_enumerator_add_driver(info, device_link);
	dir = wf_port_enumerator_canonicalize(device_link);
	for (guint depth = 0; depth < WF_PORT_ENUMERATOR_MAX_SYSFS_DEPTH; depth++) {
		g_autofree gchar *vid_str = wf_port_enumerator_read_attr(dir, "idVendor");
		g_autofree gchar *pid_str = wf_port_enumerator_read_attr(dir, "idProduct");
		g_autofree gchar *serial = NULL;
		g_autofree gchar *manufacturer = NULL;
		g_autofree gchar *product = NULL;
		gchar *parent;
		guint16 vid = 0;
		guint16 pid = 0;

		if (wf_port_enumerator_parse_usb_id(vid_str, &vid) &&
		    wf_port_enumerator_parse_usb_id(pid_str, &pid)) {
			wf_port_info_set_usb_ids(info, vid, pid);
			serial = wf_port_enumerator_read_attr(dir, "serial");
			manufacturer = wf_port_enumerator_read_attr(dir, "manufacturer");
			product = wf_port_enumerator_read_attr(dir, "product");
			wf_port_info_set_serial(info, serial);
			wf_port_info_set_manufacturer(info, manufacturer);
			wf_port_info_set_product(info, product);
			return;
		}
		parent = g_path_get_dirname(dir);
		if (!g_str_has_prefix(parent, sysfs_root) || g_strcmp0(parent, sysfs_root) == 0) {
			g_free(parent);
			return;
		}
		g_free(dir);
		dir = parent;
	}
}

static void
wf_port_enumerator_add_by_id(WfPortEnumerator *self, WfPortInfo *info, const gchar *canonical)
{
	g_autofree gchar *by_id_dir = g_build_filename(self->dev_dir, "serial", "by-id", NULL);
	g_autoptr(GDir) dir = g_dir_open(by_id_dir, 0, NULL);
	const gchar *name;

	if (dir == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *link = g_build_filename(by_id_dir, name, NULL);
		g_autofree gchar *target = wf_port_enumerator_canonicalize(link);
		if (g_strcmp0(target, canonical) == 0) {
			wf_port_info_set_by_id_path(info, link);
			return;
		}
	}
}

static void
wf_port_enumerator_add_description(WfPortInfo *info)
{
	if (wf_port_info_get_description(info) != NULL)
		return;
	if (wf_port_info_is_boot_rom(info)) {
		/* the boot ROM has no USB strings at all (protocol.md §1.1) */
		wf_port_info_set_description(info, "MediaTek boot ROM");
		return;
	}
	if (wf_port_info_get_product(info) != NULL) {
		wf_port_info_set_description(info, wf_port_info_get_product(info));
		return;
	}
	if (wf_port_info_has_usb_ids(info) && wf_port_info_get_vid(info) == WF_PORT_BOOT_ROM_VID)
		wf_port_info_set_description(info, "MediaTek USB device, not in boot-ROM mode");
}

/**
 * wf_port_enumerator_probe:
 * @self: a #WfPortEnumerator
 * @path: a device node
 * @error: (nullable): return location for a #GError
 *
 * Describes one port from sysfs, without libserialport and without looking
 * for holders. Used for hotplug events, where only the path is known.
 *
 * Returns: (transfer full): a #WfPortInfo, or %NULL with %WF_ERROR_NOT_FOUND
 *   if @path does not exist
 */
WfPortInfo *
wf_port_enumerator_probe(WfPortEnumerator *self, const gchar *path, GError **error)
{
	g_autoptr(WfPortInfo) info = NULL;
	g_autofree gchar *canonical = NULL;

	g_return_val_if_fail(WF_IS_PORT_ENUMERATOR(self), NULL);
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, WF_ERROR, WF_ERROR_NOT_FOUND, "%s does not exist", path);
		return NULL;
	}
	info = wf_port_info_new(path);
	canonical = wf_port_enumerator_canonicalize(path);
	wf_port_enumerator_add_usb_details(self, info, path);
	wf_port_enumerator_add_by_id(self, info, canonical);
	wf_port_enumerator_add_description(info);
	return g_steal_pointer(&info);
}

/* libserialport knows USB serial ports under other names too (ttyXRUSB,
 * ttyGS…); it gives VID:PID and strings, sysfs the rest. */
static void
wf_port_enumerator_add_libserialport(WfPortEnumerator *self, GPtrArray *infos, GHashTable *seen)
{
	struct sp_port **ports = NULL;
	g_autoptr(GError) error_local = NULL;

	if (!wf_error_from_sp_return(sp_list_ports(&ports), "list serial ports", &error_local)) {
		/* not fatal: the ttyACM/ttyUSB scan below still runs */
		g_debug("%s", error_local->message);
		return;
	}
	for (guint i = 0; ports[i] != NULL; i++) {
		struct sp_port *port = ports[i];
		const gchar *name = sp_get_port_name(port);
		g_autoptr(WfPortInfo) info = NULL;
		int vid = 0;
		int pid = 0;

		if (name == NULL || sp_get_port_transport(port) != SP_TRANSPORT_USB)
			continue;
		if (sp_get_port_usb_vid_pid(port, &vid, &pid) != SP_OK)
			continue;
		info = wf_port_enumerator_probe(self, name, NULL);
		if (info == NULL)
			continue;
		wf_port_info_set_usb_ids(info, (guint16)vid, (guint16)pid);
		if (sp_get_port_usb_serial(port) != NULL)
			wf_port_info_set_serial(info, sp_get_port_usb_serial(port));
		if (sp_get_port_usb_manufacturer(port) != NULL)
			wf_port_info_set_manufacturer(info, sp_get_port_usb_manufacturer(port));
		if (sp_get_port_usb_product(port) != NULL)
			wf_port_info_set_product(info, sp_get_port_usb_product(port));
		if (sp_get_port_description(port) != NULL && !wf_port_info_is_boot_rom(info))
			wf_port_info_set_description(info, sp_get_port_description(port));
		g_hash_table_add(seen, wf_port_enumerator_canonicalize(name));
		g_ptr_array_add(infos, g_steal_pointer(&info));
	}
	sp_free_port_list(ports);
}

static void
wf_port_enumerator_add_dev_nodes(WfPortEnumerator *self, GPtrArray *infos, GHashTable *seen)
{
	g_autoptr(GDir) dir = g_dir_open(self->dev_dir, 0, NULL);
	const gchar *name;

	if (dir == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *canonical = NULL;
		WfPortInfo *info;

		if (!wf_port_enumerator_is_candidate_name(name))
			continue;
		path = g_build_filename(self->dev_dir, name, NULL);
		canonical = wf_port_enumerator_canonicalize(path);
		if (g_hash_table_contains(seen, canonical))
			continue;
		info = wf_port_enumerator_probe(self, path, NULL);
		if (info == NULL)
			continue;
		g_hash_table_add(seen, g_steal_pointer(&canonical));
		g_ptr_array_add(infos, info);
	}
}

static gint
wf_port_enumerator_rank(WfPortInfo *info)
{
	if (wf_port_info_is_boot_rom(info))
		return 0;
	if (wf_port_info_has_usb_ids(info) && wf_port_info_get_vid(info) == WF_PORT_BOOT_ROM_VID)
		return 1;
	return 2;
}

static gint
wf_port_enumerator_sort_cb(gconstpointer a, gconstpointer b)
{
	WfPortInfo *info_a = *(WfPortInfo **)a;
	WfPortInfo *info_b = *(WfPortInfo **)b;
	g_autofree gchar *key_a = NULL;
	g_autofree gchar *key_b = NULL;
	gint rank = wf_port_enumerator_rank(info_a) - wf_port_enumerator_rank(info_b);

	if (rank != 0)
		return rank;
	/* "ttyACM2" before "ttyACM10" */
	key_a = g_utf8_collate_key_for_filename(wf_port_info_get_path(info_a), -1);
	key_b = g_utf8_collate_key_for_filename(wf_port_info_get_path(info_b), -1);
	return g_strcmp0(key_a, key_b);
}

/**
 * wf_port_enumerator_list:
 * @self: a #WfPortEnumerator
 * @error: (nullable): return location for a #GError
 *
 * Lists candidate ports: boot-ROM ports (0E8D:0003) first, then other
 * MediaTek ports, then the rest, each group in natural path order.
 *
 * Returns: (transfer container) (element-type WfPortInfo): the ports,
 *   possibly empty
 */
GPtrArray *
wf_port_enumerator_list(WfPortEnumerator *self, GError **error)
{
	g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(WF_IS_PORT_ENUMERATOR(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (self->use_libserialport)
		wf_port_enumerator_add_libserialport(self, infos, seen);
	wf_port_enumerator_add_dev_nodes(self, infos, seen);
	g_ptr_array_sort(infos, wf_port_enumerator_sort_cb);
	if (self->find_holders && infos->len > 0 &&
	    !wf_port_info_find_holders(infos, &error_local)) {
		/* a list without holders is still useful */
		g_debug("%s", error_local->message);
	}
	return g_steal_pointer(&infos);
}
