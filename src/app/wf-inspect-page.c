/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-inspect-page.h"

#include <glib/gi18n.h>

#include "wf-a11y.h"
#include "wf-dump.h"
#include "wf-error.h"
#include "wf-firmware-package.h"
#include "wf-knowledge-table.h"
#include "wf-secret-codes.h"

/*
 * Looks inside any firmware file without touching a watch: a package
 * (folder, archive, .cfg), a full-flash dump or one binary. Shows its
 * identity, its layout, the display/touch hints and the secret codes with
 * their meanings, each code one click from the clipboard.
 */

#define WF_INSPECT_SNIFF_SIZE 4096

struct _WfInspectPage {
	AdwBin parent_instance;
	GtkStack *stack;
	AdwStatusPage *error_status;
	AdwPreferencesPage *details_page;
	AdwPreferencesGroup *identity_group;
	AdwPreferencesGroup *layout_group;
	AdwPreferencesGroup *components_group;
	AdwPreferencesGroup *codes_group;
	GPtrArray *rows[4]; /* per group, what was added */
	guint n_codes;
	GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE(WfInspectPage, wf_inspect_page, ADW_TYPE_BIN)

static AdwPreferencesGroup *
wf_inspect_page_group(WfInspectPage *self, guint idx)
{
	AdwPreferencesGroup *groups[] = {self->identity_group,
					 self->layout_group,
					 self->components_group,
					 self->codes_group};
	return groups[idx];
}

static void
wf_inspect_page_clear(WfInspectPage *self)
{
	for (guint g = 0; g < G_N_ELEMENTS(self->rows); g++) {
		for (guint i = 0; i < self->rows[g]->len; i++)
			adw_preferences_group_remove(wf_inspect_page_group(self, g),
						     g_ptr_array_index(self->rows[g], i));
		g_ptr_array_set_size(self->rows[g], 0);
	}
	self->n_codes = 0;
}

static GtkWidget *
wf_inspect_page_add_row(WfInspectPage *self, guint group, const gchar *title, const gchar *value)
{
	GtkWidget *row = adw_action_row_new();

	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
	if (value != NULL) {
		adw_action_row_set_subtitle(ADW_ACTION_ROW(row), value);
	}
	adw_preferences_group_add(wf_inspect_page_group(self, group), row);
	g_ptr_array_add(self->rows[group], row);
	return row;
}

/* the identity's fields in words a user reads, not the JSON keys */
static const gchar *
wf_inspect_page_field_title(WfRomIdentityField field)
{
	switch (field) {
	case WF_ROM_IDENTITY_FIELD_PLATFORM:
		return _("Platform");
	case WF_ROM_IDENTITY_FIELD_BIN_NAME:
		return _("Build Name");
	case WF_ROM_IDENTITY_FIELD_VERNO:
		/* TRANSLATORS: the firmware's version string (VERNO) */
		return _("Version");
	case WF_ROM_IDENTITY_FIELD_BRANCH:
		/* TRANSLATORS: MAUI is MediaTek's feature-phone OS; a branch is its release line */
		return _("MAUI Branch");
	case WF_ROM_IDENTITY_FIELD_PROJECT:
		/* TRANSLATORS: the vendor project the firmware was built from */
		return _("Base Project");
	case WF_ROM_IDENTITY_FIELD_HW_VER:
		return _("Hardware Version");
	case WF_ROM_IDENTITY_FIELD_BUILD_DATE:
		return _("Build Date");
	case WF_ROM_IDENTITY_FIELD_MMI_BASE:
		return _("User Interface");
	case WF_ROM_IDENTITY_FIELD_PLATFORM_TAG:
		return _("Platform Tag");
	default:
		return wf_rom_identity_field_to_string(field);
	}
}

static void
wf_inspect_page_show_identity(WfInspectPage *self,
			      const gchar *path,
			      const gchar *kind,
			      WfFirmwareIdentity *identity)
{
	WfComponentHints *hints;

	wf_inspect_page_add_row(self, 0, _("File"), path);
	wf_inspect_page_add_row(self, 0, _("Kind"), kind);
	for (guint f = 0; f < WF_ROM_IDENTITY_FIELD_LAST; f++) {
		const gchar *value = wf_firmware_identity_get(identity, f);
		if (value != NULL)
			wf_inspect_page_add_row(self, 0, wf_inspect_page_field_title(f), value);
	}
	if (wf_firmware_identity_get_sha256(identity) != NULL)
		wf_inspect_page_add_row(
			self, 0, "SHA-256", wf_firmware_identity_get_sha256(identity));
	hints = wf_firmware_identity_get_hints(identity);
	if (hints != NULL) {
		GPtrArray *tokens = wf_component_hints_get_tokens(hints);
		for (guint i = 0; tokens != NULL && i < tokens->len; i++) {
			const WfComponentToken *t = g_ptr_array_index(tokens, i);
			const gchar *meaning = wf_component_token_get_meaning(t);
			g_autofree gchar *value = g_strdup_printf("%s%s%s",
								  t->category,
								  meaning != NULL ? " · " : "",
								  meaning ? meaning : "");
			wf_inspect_page_add_row(self, 2, t->text, value);
		}
	}
	if (self->rows[2]->len == 0)
		wf_inspect_page_add_row(self, 2, _("No display or touch driver named"), NULL);
}

static void
wf_inspect_page_copy_cb(GtkButton *button, gpointer user_data)
{
	const gchar *code = g_object_get_data(G_OBJECT(button), "wf-code");
	GtkWidget *overlay;

	gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(button)), code);
	overlay = gtk_widget_get_ancestor(GTK_WIDGET(button), ADW_TYPE_TOAST_OVERLAY);
	if (overlay != NULL)
		adw_toast_overlay_add_toast(ADW_TOAST_OVERLAY(overlay),
					    adw_toast_new(_("Copied to the clipboard")));
}

static void
wf_inspect_page_show_codes(WfInspectPage *self, WfDump *dump)
{
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(WfSecretCodes) codes = NULL;
	GPtrArray *found;

	if (!wf_knowledge_table_load_default(table, NULL))
		g_clear_object(&table);
	codes = wf_secret_codes_new(table);
	wf_dump_scan_codes(dump, codes);
	found = wf_secret_codes_get_codes(codes);
	for (guint i = 0; i < found->len; i++) {
		const WfSecretCode *code = g_ptr_array_index(found, i);
		const gchar *meaning = wf_secret_code_get_meaning(code);
		GtkWidget *row = wf_inspect_page_add_row(
			self, 3, code->code, meaning != NULL ? meaning : _("Meaning unknown"));
		GtkWidget *copy = gtk_button_new_from_icon_name("edit-copy-symbolic");
		/* TRANSLATORS: accessible name; %s is a dial code such as *#8375# */
		g_autofree gchar *label = g_strdup_printf(_("Copy %s"), code->code);

		gtk_widget_set_valign(copy, GTK_ALIGN_CENTER);
		gtk_widget_add_css_class(copy, "flat");
		gtk_widget_set_tooltip_text(copy, _("Copy"));
		gtk_accessible_update_property(
			GTK_ACCESSIBLE(copy), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
		g_object_set_data_full(G_OBJECT(copy), "wf-code", g_strdup(code->code), g_free);
		g_signal_connect(copy, "clicked", G_CALLBACK(wf_inspect_page_copy_cb), NULL);
		adw_action_row_add_suffix(ADW_ACTION_ROW(row), copy);
		self->n_codes++;
	}
	if (found->len == 0)
		wf_inspect_page_add_row(self, 3, _("No secret codes found"), NULL);
}

static gboolean
wf_inspect_page_is_package(const gchar *path)
{
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInputStream) stream = NULL;
	guint8 head[WF_INSPECT_SNIFF_SIZE];
	gsize n = 0;

	if (g_file_test(path, G_FILE_TEST_IS_DIR) || g_str_has_suffix(path, ".cfg"))
		return TRUE;
	file = g_file_new_for_path(path);
	stream = g_file_read(file, NULL, NULL);
	if (stream == NULL ||
	    !g_input_stream_read_all(G_INPUT_STREAM(stream), head, sizeof(head), &n, NULL, NULL))
		return FALSE;
	return wf_firmware_package_is_archive(head, n);
}

static gboolean
wf_inspect_page_open_package(WfInspectPage *self, const gchar *path, GError **error)
{
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new_from_path(path, error);
	g_autoptr(GBytes) image = NULL;
	g_autoptr(WfDump) dump = NULL;
	GPtrArray *files;
	guint32 size;

	if (package == NULL)
		return FALSE;
	wf_inspect_page_clear(self);
	wf_inspect_page_show_identity(
		self, path, _("Firmware package"), wf_firmware_package_get_identity(package));
	files = wf_firmware_package_get_files(package);
	for (guint i = 0; i < files->len; i++) {
		WfFirmwarePackageFile *f = g_ptr_array_index(files, i);
		g_autofree gchar *size_str = g_format_size_full(f->length, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *where = g_strdup_printf(
			"0x%06X–0x%06X · %s", f->offset, f->offset + f->length, size_str);
		wf_inspect_page_add_row(self, 1, f->name, where);
	}
	/* codes are searched in the image the package makes */
	size = wf_firmware_package_get_flash_size(package);
	if (size == 0)
		size = (wf_firmware_package_get_end(package) + 0xFFFF) & ~0xFFFFu;
	image = wf_dump_rebuild(package, size, WF_DUMP_REBUILD_FLAG_EXACT, NULL);
	if (image != NULL)
		dump = wf_dump_new_from_bytes(image, NULL);
	if (dump != NULL)
		wf_inspect_page_show_codes(self, dump);
	else
		wf_inspect_page_add_row(
			self, 3, _("Codes cannot be searched in this package"), NULL);
	return TRUE;
}

static gboolean
wf_inspect_page_open_dump(WfInspectPage *self, const gchar *path, GError **error)
{
	g_autoptr(WfDump) dump = wf_dump_new_from_file(path, error);
	GPtrArray *regions;

	if (dump == NULL)
		return FALSE;
	wf_inspect_page_clear(self);
	wf_inspect_page_show_identity(self,
				      path,
				      wf_dump_get_kind(dump) == WF_DUMP_KIND_FULL
					      ? _("Full-flash dump")
					      : _("Single binary"),
				      wf_dump_get_identity(dump));
	regions = wf_dump_get_regions(dump);
	for (guint i = 0; i < regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(regions, i);
		g_autofree gchar *size_str = g_format_size_full(r->length, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *where = g_strdup_printf("0x%06X–0x%06X · %s%s",
							  r->offset,
							  r->offset + r->length,
							  size_str,
							  r->erased ? _(" · erased") : "");
		wf_inspect_page_add_row(self, 1, r->name != NULL ? r->name : "?", where);
	}
	wf_inspect_page_show_codes(self, dump);
	return TRUE;
}

/**
 * wf_inspect_page_open:
 * @path: a package, .cfg, dump or binary
 *
 * Shows what @path is; on failure the page says why.
 */
gboolean
wf_inspect_page_open(WfInspectPage *self, const gchar *path, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gboolean ok;

	g_return_val_if_fail(WF_IS_INSPECT_PAGE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	if (wf_inspect_page_is_package(path))
		ok = wf_inspect_page_open_package(self, path, &error_local);
	else
		ok = wf_inspect_page_open_dump(self, path, &error_local);
	if (!ok) {
		adw_status_page_set_description(self->error_status, error_local->message);
		gtk_stack_set_visible_child_name(self->stack, "error");
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	gtk_stack_set_visible_child_name(self->stack, "details");
	return TRUE;
}

const gchar *
wf_inspect_page_get_view(WfInspectPage *self)
{
	g_return_val_if_fail(WF_IS_INSPECT_PAGE(self), NULL);
	return gtk_stack_get_visible_child_name(self->stack);
}

guint
wf_inspect_page_get_n_codes(WfInspectPage *self)
{
	g_return_val_if_fail(WF_IS_INSPECT_PAGE(self), 0);
	return self->n_codes;
}

guint
wf_inspect_page_get_n_layout_rows(WfInspectPage *self)
{
	g_return_val_if_fail(WF_IS_INSPECT_PAGE(self), 0);
	return self->rows[1]->len;
}

static void
wf_inspect_page_chooser_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	WfInspectPage *self = WF_INSPECT_PAGE(user_data);

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autofree gchar *path = file != NULL ? g_file_get_path(file) : NULL;
		if (path != NULL)
			wf_inspect_page_open(self, path, NULL);
	}
	g_clear_object(&self->chooser);
}

static void
wf_inspect_page_choose(WfInspectPage *self, gboolean folder)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));

	if (self->chooser != NULL)
		return;
	self->chooser = gtk_file_chooser_native_new(_("Inspect Firmware"),
						    GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL,
						    folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
							   : GTK_FILE_CHOOSER_ACTION_OPEN,
						    _("_Open"),
						    _("_Cancel"));
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(self->chooser), TRUE);
	g_signal_connect(
		self->chooser, "response", G_CALLBACK(wf_inspect_page_chooser_response_cb), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->chooser));
}

static void
wf_inspect_page_open_file_action(GtkWidget *widget, const gchar *name, GVariant *parameter)
{
	wf_inspect_page_choose(WF_INSPECT_PAGE(widget), FALSE);
}

static void
wf_inspect_page_open_folder_action(GtkWidget *widget, const gchar *name, GVariant *parameter)
{
	wf_inspect_page_choose(WF_INSPECT_PAGE(widget), TRUE);
}

static gboolean
wf_inspect_page_drop_cb(
	GtkDropTarget *target, const GValue *value, gdouble x, gdouble y, gpointer user_data)
{
	GFile *file;
	g_autofree gchar *path = NULL;

	if (!G_VALUE_HOLDS(value, G_TYPE_FILE))
		return FALSE;
	file = g_value_get_object(value);
	path = g_file_get_path(file);
	if (path == NULL)
		return FALSE;
	wf_inspect_page_open(WF_INSPECT_PAGE(user_data), path, NULL);
	return TRUE;
}

static void
wf_inspect_page_dispose(GObject *object)
{
	WfInspectPage *self = WF_INSPECT_PAGE(object);

	if (self->chooser != NULL) {
		gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(self->chooser));
		g_clear_object(&self->chooser);
	}
	/* AdwBin keeps its own pointer to the template's root */
	adw_bin_set_child(ADW_BIN(self), NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_INSPECT_PAGE);
	G_OBJECT_CLASS(wf_inspect_page_parent_class)->dispose(object);
}

static void
wf_inspect_page_finalize(GObject *object)
{
	WfInspectPage *self = WF_INSPECT_PAGE(object);

	for (guint g = 0; g < G_N_ELEMENTS(self->rows); g++)
		g_ptr_array_unref(self->rows[g]);
	G_OBJECT_CLASS(wf_inspect_page_parent_class)->finalize(object);
}

static void
wf_inspect_page_class_init(WfInspectPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_inspect_page_dispose;
	object_class->finalize = wf_inspect_page_finalize;
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-inspect-page.ui");
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, stack);
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, error_status);
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, details_page);
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, identity_group);
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, layout_group);
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, components_group);
	gtk_widget_class_bind_template_child(widget_class, WfInspectPage, codes_group);
	gtk_widget_class_install_action(
		widget_class, "inspect.open-file", NULL, wf_inspect_page_open_file_action);
	gtk_widget_class_install_action(
		widget_class, "inspect.open-folder", NULL, wf_inspect_page_open_folder_action);
}

static void
wf_inspect_page_init(WfInspectPage *self)
{
	GtkDropTarget *drop;

	gtk_widget_init_template(GTK_WIDGET(self));
	/* GTK 4.8 names text buttons twice, underscore included */
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	for (guint g = 0; g < G_N_ELEMENTS(self->rows); g++)
		self->rows[g] = g_ptr_array_new();
	drop = gtk_drop_target_new(G_TYPE_FILE, GDK_ACTION_COPY);
	g_signal_connect(drop, "drop", G_CALLBACK(wf_inspect_page_drop_cb), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(drop));
}
