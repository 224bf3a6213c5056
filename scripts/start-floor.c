/* The floor under the desktop app's start (bash scripts/start-time builds and
 * runs it): WebKitGTK 4.1 alone, in a GTK window of the app's size, painting
 * one line of a local page. No Rust, no Tauri, no vault: what any app on this
 * webview pays before its first screen. Not part of the app. */
#include <webkit2/webkit2.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        g_printerr("usage: start-floor file:///path/page.html\n");
        return 2;
    }
    gtk_init(&argc, &argv);
    GtkWidget *window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
    gtk_window_set_default_size(GTK_WINDOW(window), 1100, 780);
    GtkWidget *view = webkit_web_view_new();
    gtk_container_add(GTK_CONTAINER(window), view);
    g_signal_connect(window, "destroy", G_CALLBACK(gtk_main_quit), NULL);
    webkit_web_view_load_uri(WEBKIT_WEB_VIEW(view), argv[1]);
    gtk_widget_show_all(window);
    gtk_main();
    return 0;
}
