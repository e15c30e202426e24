// Package surveys is Vigil's perception-survey capability.
//
// It covers the XForms that enumerators fill in with ODK-compatible apps, the
// submissions they send over OpenRosa (checked against the form, deduplicated
// by instanceID, with answers and attachments sealed with AES-GCM at rest),
// and, built on the stored answers, perception indicators, the "who is unheard"
// comparison with population margins and disclosure control before export.
//
// Forms and submissions are handled by Service (forms.go, submissions.go);
// its Store is implemented by *storage.DB. Survey estimation lives in
// surveys/estimate.
package surveys
