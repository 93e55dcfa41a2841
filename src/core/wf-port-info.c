/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-port-info.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "wf-error.h"

struct _WfPortInfo {
	GObject parent_instance;
	gchar *path;
	gchar *by_id_path;
	gboolean has_usb_ids;
	guint16 vid;
	guint16 pid;
	gchar *serial;
	gchar *manufacturer;
	gchar *product;
	gchar *driver;
	gchar *description;
	GPtrArray *holders; /* of WfPortHolder */
};

G_DEFINE_FINAL_TYPE(WfPortInfo, wf_port_info, G_TYPE_OBJECT)

/**
 * wf_port_holder_new:
 * @pid: process id
 * @name: process name
 *
 * Returns: (transfer full): a new #WfPortHolder
 */
WfPortHolder *
wf_port_holder_new(guint pid, const gchar *name)
{
	WfPortHolder *holder = g_new0(WfPortHolder, 1);
	holder->pid = pid;
	holder->name = g_strdup(name != NULL ? name : "?");
	holder->is_modem_manager = g_strcmp0(name, "ModemManager") == 0;
	return holder;
}

void
wf_port_holder_free(WfPortHolder *holder)
{
	if (holder == NULL)
		return;
	g_free(holder->name);
	g_free(holder);
}

static void
wf_port_info_finalize(GObject *object)
{
	WfPortInfo *self = WF_PORT_INFO(object);
	g_free(self->path);
	g_free(self->by_id_path);
	g_free(self->serial);
	g_free(self->manufacturer);
	g_free(self->product);
	g_free(self->driver);
	g_free(self->description);
	g_ptr_array_unref(self->holders);
	G_OBJECT_CLASS(wf_port_info_parent_class)->finalize(object);
}

static void
wf_port_info_class_init(WfPortInfoClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_port_info_finalize;
}

static void
wf_port_info_init(WfPortInfo *self)
{
	self->holders = g_ptr_array_new_with_free_func((GDestroyNotify)wf_port_holder_free);
}

/**
 * wf_port_info_new:
 * @path: the device node, e.g. "/dev/ttyACM0"
 *
 * Returns: (transfer full): a new #WfPortInfo with nothing but a path
 */
WfPortInfo *
wf_port_info_new(const gchar *path)
{
	WfPortInfo *self;

	g_return_val_if_fail(path != NULL, NULL);

	self = g_object_new(WF_TYPE_PORT_INFO, NULL);
	self->path = g_strdup(path);
	return self;
}

const gchar *
wf_port_info_get_path(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->path;
}

/**
 * wf_port_info_get_by_id_path:
 * @self: a #WfPortInfo
 *
 * Returns: the stable /dev/serial/by-id/ symlink to this port, or %NULL
 */
const gchar *
wf_port_info_get_by_id_path(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->by_id_path;
}

void
wf_port_info_set_by_id_path(WfPortInfo *self, const gchar *by_id_path)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	g_free(self->by_id_path);
	self->by_id_path = g_strdup(by_id_path);
}

gboolean
wf_port_info_has_usb_ids(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), FALSE);
	return self->has_usb_ids;
}

guint16
wf_port_info_get_vid(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), 0);
	return self->vid;
}

guint16
wf_port_info_get_pid(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), 0);
	return self->pid;
}

void
wf_port_info_set_usb_ids(WfPortInfo *self, guint16 vid, guint16 pid)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	self->has_usb_ids = TRUE;
	self->vid = vid;
	self->pid = pid;
}

/**
 * wf_port_info_is_boot_rom:
 * @self: a #WfPortInfo
 *
 * Returns: %TRUE if the USB device behind the port is 0E8D:0003, the
 *   MediaTek boot ROM waiting for a download
 */
gboolean
wf_port_info_is_boot_rom(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), FALSE);
	return self->has_usb_ids && self->vid == WF_PORT_BOOT_ROM_VID &&
	       self->pid == WF_PORT_BOOT_ROM_PID;
}

const gchar *
wf_port_info_get_serial(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->serial;
}

void
wf_port_info_set_serial(WfPortInfo *self, const gchar *serial)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	g_free(self->serial);
	self->serial = g_strdup(serial);
}

const gchar *
wf_port_info_get_manufacturer(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->manufacturer;
}

void
wf_port_info_set_manufacturer(WfPortInfo *self, const gchar *manufacturer)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	g_free(self->manufacturer);
	self->manufacturer = g_strdup(manufacturer);
}

const gchar *
wf_port_info_get_product(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->product;
}

void
wf_port_info_set_product(WfPortInfo *self, const gchar *product)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	g_free(self->product);
	self->product = g_strdup(product);
}

/**
 * wf_port_info_get_driver:
 * @self: a #WfPortInfo
 *
 * Returns: the kernel driver bound to the port, e.g. "cdc_acm", or %NULL
 */
const gchar *
wf_port_info_get_driver(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->driver;
}

void
wf_port_info_set_driver(WfPortInfo *self, const gchar *driver)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	g_free(self->driver);
	self->driver = g_strdup(driver);
}

const gchar *
wf_port_info_get_description(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->description;
}

void
wf_port_info_set_description(WfPortInfo *self, const gchar *description)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	g_free(self->description);
	self->description = g_strdup(description);
}

/**
 * wf_port_info_get_holders:
 * @self: a #WfPortInfo
 *
 * Returns: (transfer none) (element-type WfPortHolder): the processes found
 *   holding the port open by the last holder scan
 */
GPtrArray *
wf_port_info_get_holders(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);
	return self->holders;
}

void
wf_port_info_add_holder(WfPortInfo *self, guint pid, const gchar *name)
{
	g_return_if_fail(WF_IS_PORT_INFO(self));
	for (guint i = 0; i < self->holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(self->holders, i);
		if (holder->pid == pid)
			return;
	}
	g_ptr_array_add(self->holders, wf_port_holder_new(pid, name));
}

gboolean
wf_port_info_is_held_by_modem_manager(WfPortInfo *self)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(self), FALSE);
	for (guint i = 0; i < self->holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(self->holders, i);
		if (holder->is_modem_manager)
			return TRUE;
	}
	return FALSE;
}

/**
 * wf_port_info_describe_holders:
 * @self: a #WfPortInfo
 *
 * Returns: (transfer full) (nullable): e.g. "ModemManager (pid 812), minicom
 *   (pid 4410)", or %NULL when nobody holds the port
 */
gchar *
wf_port_info_describe_holders(WfPortInfo *self)
{
	g_autoptr(GString) str = g_string_new(NULL);

	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);

	if (self->holders->len == 0)
		return NULL;
	for (guint i = 0; i < self->holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(self->holders, i);
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append_printf(str, "%s (pid %u)", holder->name, holder->pid);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/**
 * wf_port_info_refresh_holders:
 * @self: a #WfPortInfo
 * @error: (nullable): return location for a #GError
 *
 * Scans the process table again for processes that have this port open.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_port_info_refresh_holders(WfPortInfo *self, GError **error)
{
	g_autoptr(GPtrArray) infos = g_ptr_array_new();

	g_return_val_if_fail(WF_IS_PORT_INFO(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	g_ptr_array_add(infos, self);
	return wf_port_info_find_holders(infos, error);
}

/**
 * wf_port_info_equal:
 * @a: a #WfPortInfo
 * @b: a #WfPortInfo
 *
 * Two infos are equal when they name the same port of the same USB device;
 * holders and descriptive strings do not count, so a re-scan of an unchanged
 * port compares equal.
 *
 * Returns: %TRUE if equal
 */
gboolean
wf_port_info_equal(WfPortInfo *a, WfPortInfo *b)
{
	g_return_val_if_fail(WF_IS_PORT_INFO(a), FALSE);
	g_return_val_if_fail(WF_IS_PORT_INFO(b), FALSE);
	return g_strcmp0(a->path, b->path) == 0 && a->has_usb_ids == b->has_usb_ids &&
	       a->vid == b->vid && a->pid == b->pid && g_strcmp0(a->serial, b->serial) == 0;
}

/**
 * wf_port_info_to_string:
 * @self: a #WfPortInfo
 *
 * Returns: (transfer full): one line for humans, e.g.
 *   "/dev/ttyACM0 0e8d:0003 (MediaTek boot ROM) cdc_acm"
 */
gchar *
wf_port_info_to_string(WfPortInfo *self)
{
	g_autoptr(GString) str = NULL;
	g_autofree gchar *holders = NULL;

	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);

	str = g_string_new(self->path);
	if (self->has_usb_ids)
		g_string_append_printf(str, " %04x:%04x", self->vid, self->pid);
	if (wf_port_info_is_boot_rom(self))
		g_string_append(str, " (MediaTek boot ROM)");
	else if (self->description != NULL)
		g_string_append_printf(str, " (%s)", self->description);
	if (self->driver != NULL)
		g_string_append_printf(str, " %s", self->driver);
	holders = wf_port_info_describe_holders(self);
	if (holders != NULL)
		g_string_append_printf(str, ", open in %s", holders);
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
wf_port_info_json_add_string(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

/**
 * wf_port_info_to_json:
 * @self: a #WfPortInfo
 *
 * Returns: (transfer full): a JSON object for `--json` output; absent values
 *   are null
 */
JsonNode *
wf_port_info_to_json(WfPortInfo *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autofree gchar *vid = NULL;
	g_autofree gchar *pid = NULL;

	g_return_val_if_fail(WF_IS_PORT_INFO(self), NULL);

	if (self->has_usb_ids) {
		vid = g_strdup_printf("%04x", self->vid);
		pid = g_strdup_printf("%04x", self->pid);
	}
	json_builder_begin_object(builder);
	wf_port_info_json_add_string(builder, "path", self->path);
	wf_port_info_json_add_string(builder, "by_id_path", self->by_id_path);
	wf_port_info_json_add_string(builder, "vid", vid);
	wf_port_info_json_add_string(builder, "pid", pid);
	json_builder_set_member_name(builder, "boot_rom");
	json_builder_add_boolean_value(builder, wf_port_info_is_boot_rom(self));
	wf_port_info_json_add_string(builder, "serial", self->serial);
	wf_port_info_json_add_string(builder, "manufacturer", self->manufacturer);
	wf_port_info_json_add_string(builder, "product", self->product);
	wf_port_info_json_add_string(builder, "driver", self->driver);
	wf_port_info_json_add_string(builder, "description", self->description);
	json_builder_set_member_name(builder, "holders");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(self->holders, i);
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "pid");
		json_builder_add_int_value(builder, holder->pid);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, holder->name);
		json_builder_set_member_name(builder, "modem_manager");
		json_builder_add_boolean_value(builder, holder->is_modem_manager);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/**
 * wf_port_info_get_proc_dir:
 *
 * Returns: where the process table lives: $WF_PROC_DIR (tests fake it), else
 *   "/proc"
 */
const gchar *
wf_port_info_get_proc_dir(void)
{
	const gchar *dir = g_getenv("WF_PROC_DIR");
	return dir != NULL && dir[0] != '\0' ? dir : "/proc";
}

/* What an fd link must look like to count as "this port": the path as given,
 * the path with symlinks resolved (by-id links, test dirs), or failing both
 * the same character device number. */
typedef struct {
	WfPortInfo *info;
	gchar *canonical;
	dev_t rdev;
} WfPortHolderKey;

static void
wf_port_holder_key_clear(WfPortHolderKey *key)
{
	g_free(key->canonical);
}

static gboolean
wf_port_holder_key_matches(WfPortHolderKey *key, const gchar *target, const struct stat *st)
{
	if (g_strcmp0(target, key->info->path) == 0)
		return TRUE;
	if (key->canonical != NULL && g_strcmp0(target, key->canonical) == 0)
		return TRUE;
	return st != NULL && key->rdev != 0 && S_ISCHR(st->st_mode) && st->st_rdev == key->rdev;
}

static gboolean
wf_port_info_is_pid_name(const gchar *name)
{
	if (name[0] == '\0')
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

static gchar *
wf_port_info_read_comm(const gchar *pid_dir)
{
	g_autofree gchar *fn = g_build_filename(pid_dir, "comm", NULL);
	gchar *comm = NULL;

	if (!g_file_get_contents(fn, &comm, NULL, NULL))
		return NULL;
	g_strchomp(comm);
	return comm;
}

/* Looks at every open file descriptor of one process. Processes of other
 * users are unreadable without privileges; they are skipped, not an error. */
static void
wf_port_info_scan_pid(const gchar *proc_dir, const gchar *pid_name, GArray *keys)
{
	g_autofree gchar *pid_dir = g_build_filename(proc_dir, pid_name, NULL);
	g_autofree gchar *fd_dir_path = g_build_filename(pid_dir, "fd", NULL);
	g_autofree gchar *comm = NULL;
	g_autoptr(GDir) fd_dir = NULL;
	const gchar *fd_name;
	gboolean comm_read = FALSE;

	fd_dir = g_dir_open(fd_dir_path, 0, NULL);
	if (fd_dir == NULL)
		return;
	while ((fd_name = g_dir_read_name(fd_dir)) != NULL) {
		g_autofree gchar *fd_path = g_build_filename(fd_dir_path, fd_name, NULL);
		g_autofree gchar *target = g_file_read_link(fd_path, NULL);
		struct stat st;
		gboolean have_st = FALSE;

		if (target == NULL || !g_str_has_prefix(target, "/"))
			continue;
		/* only device nodes can be ports; this keeps stat() off sockets
		 * and pipes, which are most of the table */
		if (g_str_has_prefix(target, "/dev/"))
			have_st = stat(fd_path, &st) == 0;
		for (guint i = 0; i < keys->len; i++) {
			WfPortHolderKey *key = &g_array_index(keys, WfPortHolderKey, i);
			if (!wf_port_holder_key_matches(key, target, have_st ? &st : NULL))
				continue;
			if (!comm_read) {
				comm = wf_port_info_read_comm(pid_dir);
				comm_read = TRUE;
			}
			wf_port_info_add_holder(
				key->info, (guint)g_ascii_strtoull(pid_name, NULL, 10), comm);
		}
	}
}

/**
 * wf_port_info_find_holders:
 * @infos: (element-type WfPortInfo): ports to look for
 * @error: (nullable): return location for a #GError
 *
 * Replaces the holders of every port in @infos by the processes that have it
 * open, found through the `fd` links of every process in the proc directory
 * (one pass for all ports). Without root, only the user's own processes and
 * any others the kernel lets us see are found.
 *
 * Returns: %TRUE on success; %FALSE if the proc directory cannot be read
 */
gboolean
wf_port_info_find_holders(GPtrArray *infos, GError **error)
{
	const gchar *proc_dir = wf_port_info_get_proc_dir();
	g_autoptr(GArray) keys = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *name;

	g_return_val_if_fail(infos != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	keys = g_array_sized_new(FALSE, TRUE, sizeof(WfPortHolderKey), infos->len);
	g_array_set_clear_func(keys, (GDestroyNotify)wf_port_holder_key_clear);
	for (guint i = 0; i < infos->len; i++) {
		WfPortInfo *info = g_ptr_array_index(infos, i);
		WfPortHolderKey key = {.info = info};
		struct stat st;
		char *canonical;

		g_return_val_if_fail(WF_IS_PORT_INFO(info), FALSE);
		g_ptr_array_set_size(info->holders, 0);
		canonical = realpath(info->path, NULL);
		if (canonical != NULL) {
			key.canonical = g_strdup(canonical);
			free(canonical);
		}
		if (stat(info->path, &st) == 0 && S_ISCHR(st.st_mode))
			key.rdev = st.st_rdev;
		g_array_append_val(keys, key);
	}

	dir = g_dir_open(proc_dir, 0, &error_local);
	if (dir == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "cannot list processes: %s",
			    error_local->message);
		return FALSE;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (wf_port_info_is_pid_name(name))
			wf_port_info_scan_pid(proc_dir, name, keys);
	}
	return TRUE;
}

/**
 * wf_port_info_find_process:
 * @comm: a process name as in /proc/PID/comm, e.g. "ModemManager"
 * @proc_readable: (out) (optional): whether the process list could be read
 *
 * Process names are readable for every user even where the fd tables of
 * other users' processes are not, so this finds a root daemon such as
 * ModemManager that the holder scan cannot see.
 *
 * Returns: the pid of the first process named @comm, or 0
 */
guint
wf_port_info_find_process(const gchar *comm, gboolean *proc_readable)
{
	const gchar *proc_dir = wf_port_info_get_proc_dir();
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	g_return_val_if_fail(comm != NULL, 0);

	dir = g_dir_open(proc_dir, 0, NULL);
	if (proc_readable != NULL)
		*proc_readable = dir != NULL;
	if (dir == NULL)
		return 0;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *pid_dir = NULL;
		g_autofree gchar *contents = NULL;
		guint64 pid = 0;

		if (!g_ascii_string_to_unsigned(name, 10, 1, G_MAXUINT, &pid, NULL))
			continue;
		pid_dir = g_build_filename(proc_dir, name, NULL);
		contents = wf_port_info_read_comm(pid_dir);
		if (g_strcmp0(contents, comm) == 0)
			return (guint)pid;
	}
	return 0;
}
