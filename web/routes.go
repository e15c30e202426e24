package web

import (
	"net/http"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/surveys"
)

// public is the minimum role of a route that needs no login (health, login
// page, offline assets, gateway intake and OpenRosa, which check their own
// secret, signature or password). No user has it, so a public row can never
// be registered by mistake as a route any user passes.
const public auth.Role = ""

// A route is one row of the route table: the pattern (method and path, as
// http.ServeMux takes it), the minimum role a logged-in user needs (or
// public) and the handler built for a server.
type route struct {
	pattern string
	min     auth.Role
	handler func(s *Server) handlerFunc // nil: the route is not served (see ui)
}

// routes is every route of the server. Handler registers them in this order;
// TestOpenAPICoversRoutes checks each /api/v1 row is documented. Routes with
// a role get the session or token check, the role check and CSRF (route);
// public routes get none of them (public). Keep each capability's rows in
// its block.
var routes = []route{
	// Administration (admin_api.go).
	{"GET /api/v1/admin/keys", auth.Admin, alert((*Server).adminKeys)},
	{"POST /api/v1/admin/keys/rotate", auth.Admin, alert((*Server).adminKeysRotate)},
	{"GET /api/v1/admin/tokens", auth.Admin, h((*Server).adminTokens)},
	{"GET /api/v1/admin/channels/stats", auth.Admin, alert((*Server).adminChannelStats)},
	{"GET /api/v1/admin/forms/{form}/enumerators", auth.Admin, forms((*Server).adminEnumerators)},

	// Community alert network (alerts_api.go, alerts_stream.go).
	{"GET /api/v1/alerts", auth.Viewer, alert((*Server).alertsList)},
	{"POST /api/v1/alerts", auth.Responder, alert((*Server).alertsCreate)},
	{"POST /api/v1/alerts/{id}/reveal", auth.Responder, record((*Server).alertsReveal)},
	{"POST /api/v1/alerts/{id}/reply", auth.Responder, record((*Server).alertsReply)},
	{"POST /api/v1/alerts/{id}/move", auth.Responder, record((*Server).alertsMove)},
	{"GET /api/v1/alerts/incidents", auth.Viewer, alert((*Server).incidentsList)},
	{"GET /api/v1/alerts/incidents/{id}", auth.Viewer, record((*Server).incidentGet)},
	{"PATCH /api/v1/alerts/incidents/{id}", auth.Responder, record((*Server).incidentPatch)},
	{"POST /api/v1/alerts/incidents/{id}/escalate", auth.Responder, record((*Server).incidentEscalate)},
	{"POST /api/v1/alerts/incidents/{id}/cap", auth.Responder, record((*Server).incidentCAP)},
	{"POST /api/v1/alerts/incidents/{id}/event", auth.Analyst, record((*Server).incidentEvent)},
	{"GET /api/v1/alerts/stats", auth.Viewer, alert((*Server).alertsStats)},
	{"GET /api/v1/alerts/cap/feed.atom", auth.Viewer, alert(call((*alerts.Service).CAPFeed))},
	{"GET /api/v1/alerts/cap/{identifier}", auth.Viewer, alert(callAt("identifier", (*alerts.Service).CAPDocument))},
	{"GET /api/v1/alerts/channels", auth.Admin, alert((*Server).channelsList)},
	{"GET /api/v1/alerts/web-channels", auth.Responder, alert((*Server).webChannelsList)},
	{"POST /api/v1/alerts/channels", auth.Admin, alert((*Server).channelsCreate)},
	{"PATCH /api/v1/alerts/channels/{id}", auth.Admin, record((*Server).channelsPatch)},
	{"DELETE /api/v1/alerts/channels/{id}", auth.Admin, alert(deleteByID((*alerts.Service).RemoveChannel))},
	{"POST /api/v1/alerts/channels/{id}/secret", auth.Admin, record((*Server).channelsSecret)},
	{"GET /api/v1/alerts/stream", auth.Viewer, alert((*Server).alertsStream)},
	{"GET /api/v1/alerts/notices", auth.Admin, alert(call((*alerts.Service).Notices))},
	{"POST /api/v1/alerts/notices/{id}/retry", auth.Admin, alert(actAt("id", http.StatusOK, (*alerts.Service).RetryNotice))},
	{"GET /api/v1/alerts/escalation-hook", auth.Admin, alert(call((*alerts.Service).EscalationHook))},
	{"PUT /api/v1/alerts/escalation-hook", auth.Admin, alert(decodeCall(hookBodyMax, http.StatusOK, (*alerts.Service).SetEscalationHook))},
	{"DELETE /api/v1/alerts/escalation-hook", auth.Admin, alert(act(http.StatusOK, (*alerts.Service).RemoveEscalationHook))},
	{"POST /api/v1/alerts/escalation-hook/test", auth.Admin, alert(act(http.StatusOK, (*alerts.Service).TestEscalationHook))},

	// Users, tokens and the audit log (auth_api.go).
	{"GET /api/v1/me", auth.Viewer, h((*Server).me)},
	{"GET /api/v1/tokens", auth.Viewer, h((*Server).listTokens)},
	{"POST /api/v1/tokens", auth.Viewer, h((*Server).createToken)},
	{"DELETE /api/v1/tokens/{id}", auth.Viewer, h((*Server).revokeToken)},
	{"GET /api/v1/users", auth.Admin, h((*Server).listUsers)},
	{"POST /api/v1/users", auth.Admin, h((*Server).createUser)},
	{"PATCH /api/v1/users/{name}", auth.Admin, h((*Server).updateUser)},
	{"GET /api/v1/audit", auth.Admin, h((*Server).auditLog)},

	// Login pages (auth_login.go).
	{"GET /login", public, h((*Server).loginForm)},
	{"POST /login", public, h((*Server).loginSubmit)},
	{"GET /login.css", public, fn(serveLoginCSS)},
	{"POST /logout", auth.Viewer, h((*Server).logout)},

	// Coverage (coverage_api.go; the requests are read in coverage/requests.go).
	{"GET /api/v1/coverage", auth.Viewer, cov((*Server).coverageLayer)},
	{"GET /api/v1/coverage/gaps", auth.Viewer, cov(queryCall((*coverage.Service).GapQuery, "month", "limit"))},
	{"GET /api/v1/coverage/deployments", auth.Viewer, cov((*Server).coverageDeployments)},
	{"POST /api/v1/coverage/deployments", auth.Analyst, cov(decodeCall(32<<20, http.StatusOK, (*coverage.Service).ImportUpload))},
	{"GET /api/v1/coverage/responsiveness", auth.Viewer, cov(queryCall((*coverage.Service).ResponsivenessQuery, "from", "to"))},
	{"POST /api/v1/coverage/try", auth.Analyst, cov(decodeRun(1<<16, (*coverage.Service).TrySite))},
	{"POST /api/v1/coverage/plan", auth.Analyst, cov(decodeRun(4<<20, (*coverage.Service).PlanSites))},
	{"POST /api/v1/coverage/cut", auth.Analyst, cov(decodeRun(1<<16, (*coverage.Service).CutSites))},
	{"GET /api/v1/coverage/scenarios", auth.Viewer, cov(getCall((*coverage.Service).ScenarioList))},
	{"GET /api/v1/coverage/scenarios/{id}", auth.Viewer, cov((*Server).coverageScenario)},
	{"POST /api/v1/coverage/scenarios", auth.Analyst, cov((*Server).coverageSaveScenario)},
	{"GET /api/v1/coverage/population", auth.Viewer, cov(getCall((*coverage.Service).Population))},
	{"POST /api/v1/coverage/population", auth.Analyst, cov(decodeCall(64<<20, http.StatusOK, (*coverage.Service).UploadPopulation))},
	{"DELETE /api/v1/coverage/population", auth.Analyst, cov((*Server).coverageDeletePopulation)},
	{"GET /api/v1/coverage/seasons", auth.Viewer, cov(getCall((*coverage.Service).Seasons))},
	{"PUT /api/v1/coverage/seasons", auth.Analyst, cov(decodeCall(1<<16, http.StatusOK, (*coverage.Service).PutSeasons))},

	// Demo data status (demo_api.go).
	{"GET /api/v1/demo", auth.Viewer, h((*Server).demoStatus)},

	// Events (events_api.go).
	{"GET /api/v1/events", auth.Viewer, h((*Server).listEvents)},
	{"GET /api/v1/events/{id}", auth.Viewer, h((*Server).getEvent)},
	{"GET /api/v1/clusters", auth.Viewer, h((*Server).clusters)},
	{"GET /api/v1/grid", auth.Viewer, h((*Server).gridCells)},

	// Event file import from the browser (events_import.go).
	{"POST /api/v1/events/import", auth.Analyst, h((*Server).eventsImport)},

	// Survey forms (forms_api.go).
	{"GET /api/v1/surveys/forms", auth.Analyst, forms(call((*surveys.Service).Forms))},
	{"POST /api/v1/surveys/forms", auth.Admin, forms((*Server).uploadForm)},
	{"PUT /api/v1/surveys/forms/{form}/state", auth.Admin, forms(decodeCallAt("form", 4<<10, http.StatusOK, (*surveys.Service).ChangeState))},
	{"POST /api/v1/surveys/forms/{form}/enumerators", auth.Admin, forms(decodeCallAt("form", 4<<10, http.StatusOK, (*surveys.Service).AddEnumerator))},

	// Health (health.go).
	{"GET /healthz", public, h((*Server).health)},

	// Alert intake from gateways and the public web form (intake_handlers.go);
	// each checks its channel's key, secret or signature.
	{"POST /intake/smssync/{key}", public, h(smssync((*alerts.Service).SMSSyncPost))},
	{"GET /intake/smssync/{key}", public, h(smssync((*alerts.Service).SMSSyncPoll))},
	{"POST /intake/twilio/{key}", public, alert((*Server).intakeTwilio)},
	{"POST /intake/webhook/{key}", public, alert((*Server).intakeWebhook)},
	{"GET /intake/web/{key}", public, h((*Server).intakeWebForm)},
	{"POST /intake/web/{key}", public, h((*Server).intakeWebSubmit)},

	// Offline service worker (offline.go).
	{"GET /sw.js", public, fn(serveServiceWorker)},

	// OpenAPI document (openapi.go).
	{"GET /api/v1/openapi.json", public, fn(serveOpenAPI)},

	// OpenRosa for ODK Collect (openrosa_routes.go): Digest or Basic login
	// checked by the openrosa wrapper.
	{"GET /formList", public, openRosa((*Server).orFormList)},
	{"GET /forms/{formID}/form.xml", public, openRosa((*Server).orFormXML)},
	{"GET /forms/{formID}/manifest", public, openRosa((*Server).orManifest)},
	{"GET /forms/{formID}/media/{name}", public, openRosa((*Server).orMedia)},
	{"HEAD /submission", public, openRosa((*Server).orSubmissionHead)},
	{"POST /submission", public, openRosa((*Server).orSubmission)},

	// Places (places_api.go).
	{"GET /api/v1/places/search", auth.Viewer, places(queryCall((*geotext.Index).SearchQuery, "q", "limit", "lang"))},
	{"GET /api/v1/places/label", auth.Viewer, h((*Server).placesLabel)},
	{"GET /api/v1/places/gazetteer", auth.Viewer, places((*Server).placesGazetteer)},
	{"POST /api/v1/places/gazetteer", auth.Analyst, places(decodeCall(maxGazetteerBytes, http.StatusOK, (*geotext.Index).ImportUpload))},

	// Risk forecasts (risk_api.go).
	{"GET /api/v1/risk", auth.Viewer, riskRoute((*Server).risk)},
	{"GET /api/v1/risk/cell/{gid}", auth.Viewer, riskRoute(riskPlace(risk.CellPlace))},
	{"GET /api/v1/risk/country/{code}", auth.Viewer, riskRoute(riskPlace(risk.CountryPlace))},
	{"GET /api/v1/risk/backtest.svg", auth.Viewer, riskRoute((*Server).riskBacktestSVG)},

	// Survey analysis (surveys_analysis.go).
	{"GET /api/v1/surveys/forms/{form}/analysis", auth.Analyst, analysis((*Server).surveyAnalysis)},
	{"GET /api/v1/surveys/forms/{form}/analysis/settings", auth.Analyst, analysis((*Server).getSurveySettings)},
	{"PUT /api/v1/surveys/forms/{form}/analysis/settings", auth.Analyst, analysis(decodeCallAt("form", maxSettingsBytes, http.StatusOK, (*surveys.Service).PutSettings))},
	{"GET /api/v1/surveys/forms/{form}/unheard", auth.Analyst, analysis((*Server).surveyUnheard)},
	{"GET /api/v1/surveys/forms/{form}/export", auth.Analyst, analysis((*Server).surveyExport)},
	{"GET /api/v1/surveys/margins", auth.Analyst, analysis(call((*surveys.Service).MarginSets))},
	{"GET /api/v1/surveys/margins/{name}", auth.Analyst, analysis(callAt("name", (*surveys.Service).MarginSet))},
	{"PUT /api/v1/surveys/margins/{name}", auth.Analyst, analysis((*Server).putMargins)},
	{"GET /api/v1/surveys/interlocutors", auth.Analyst, analysis(actQuery((*surveys.Service).OpenLog))},
	{"POST /api/v1/surveys/interlocutors", auth.Analyst, analysis(decodeCall(16<<10, http.StatusCreated, (*surveys.Service).AddInterlocutor))},
	{"GET /api/v1/surveys/interlocutors/areas", auth.Analyst, analysis((*Server).interlocutorAreas)},

	// Forecast refresh (risk_refresh_api.go): issue 11.
	{"GET /api/v1/risk/refresh", auth.Viewer, h((*Server).riskRefreshStatus)},
	{"POST /api/v1/risk/refresh", auth.Analyst, h((*Server).riskRefreshStart)},
	// VIEWS-challenge scoring of uploaded files (views_score_api.go), as
	// vigil views score.
	{"POST /api/v1/forecast/views/score", auth.Analyst, h((*Server).viewsScore)},
	// Information integrity (integrity_api.go): items, narratives, spikes
	// and the lexicon; analysts write, viewers read.
	{"GET /api/v1/integrity/items", auth.Viewer, integ((*Server).integrityItems)},
	{"POST /api/v1/integrity/items", auth.Analyst, integ(decodeCall(maxIntegrityJSON, http.StatusCreated, (*integrity.Service).AddInput))},
	{"GET /api/v1/integrity/items/{id}", auth.Viewer, integ(byID((*integrity.Service).Item))},
	{"POST /api/v1/integrity/items/{id}/author", auth.Analyst, integ((*Server).integrityAuthor)},
	{"POST /api/v1/integrity/items/relocate", auth.Analyst, integ(act(http.StatusOK, (*integrity.Service).Relocate))},
	{"POST /api/v1/integrity/import", auth.Analyst, integ((*Server).integrityImport)},
	{"GET /api/v1/integrity/narratives", auth.Viewer, integ(getCall((*integrity.Service).NarrativeTable))},
	{"PATCH /api/v1/integrity/narratives/{id}", auth.Analyst, integ(decodeCallAt("id", maxIntegrityJSON, http.StatusOK, (*integrity.Service).Rename))},
	{"POST /api/v1/integrity/narratives/{id}/merge", auth.Analyst, integ(decodeCallAt("id", maxIntegrityJSON, http.StatusOK, (*integrity.Service).Merge))},
	{"POST /api/v1/integrity/narratives/{id}/split", auth.Analyst, integ(decodeCallAt("id", maxIntegrityJSON, http.StatusCreated, (*integrity.Service).Split))},
	{"GET /api/v1/integrity/spikes", auth.Viewer, integ(getCall((*integrity.Service).SpikeTable))},
	{"GET /api/v1/integrity/terms", auth.Viewer, integ(call((*integrity.Service).Lexicon))},
	{"POST /api/v1/integrity/terms", auth.Analyst, integ(decodeCall(maxIntegrityJSON, http.StatusCreated, (*integrity.Service).CreateTerm))},
	{"PUT /api/v1/integrity/terms/{id}", auth.Analyst, integ(decodeCallAt("id", maxIntegrityJSON, http.StatusOK, (*integrity.Service).EditTerm))},
	{"DELETE /api/v1/integrity/terms/{id}", auth.Analyst, integ(deleteByID((*integrity.Service).DeleteTerm))},
	{"POST /api/v1/integrity/terms/import", auth.Analyst, integ((*Server).integrityTermsImport)},
	{"POST /api/v1/integrity/terms/starter", auth.Analyst, integ(act(http.StatusOK, (*integrity.Service).AddStarter))},
	// Scheduled feeds and the map's join of items with risk and coverage
	// (integrity_api.go): issue 13.
	{"GET /api/v1/integrity/feeds", auth.Analyst, integ(getCall((*integrity.Service).FeedTable))},
	{"POST /api/v1/integrity/feeds", auth.Analyst, integ(decodeCall(maxIntegrityJSON, http.StatusCreated, (*integrity.Service).AddFeed))},
	{"DELETE /api/v1/integrity/feeds/{id}", auth.Analyst, integ(deleteByID((*integrity.Service).DeleteFeed))},
	{"POST /api/v1/integrity/feeds/{id}/poll", auth.Analyst, integ(actAt("id", http.StatusOK, (*integrity.Service).PollFeedNow))},
	{"GET /api/v1/integrity/where", auth.Viewer, integ((*Server).integrityWhere)},
	{"GET /api/v1/integrity/brief", auth.Viewer, integ((*Server).integrityBrief)},
	// Verify and respond (integrity_check_api.go): a narrative's check,
	// its public fact-check page and feed (no login), answers to tipline
	// senders; analysts write, viewers read.
	{"GET /api/v1/integrity/checks", auth.Viewer, integ(queryCall((*integrity.Service).CheckQueueQuery, "state"))},
	{"GET /api/v1/integrity/narratives/{id}/check", auth.Viewer, integ(byID((*integrity.Service).GetCheck))},
	{"POST /api/v1/integrity/narratives/{id}/check", auth.Analyst, integ(decodeCallAt("id", maxIntegrityJSON, http.StatusOK, (*integrity.Service).UpdateCheck))},
	{"POST /api/v1/integrity/narratives/{id}/check/publish", auth.Analyst, integ((*Server).integrityCheckPublish)},
	{"GET /api/v1/integrity/assignees", auth.Analyst, h((*Server).integrityAssignees)},
	{"POST /api/v1/integrity/narratives/{id}/check/answers", auth.Analyst, integ((*Server).integrityCheckAnswers)},
	{"POST /api/v1/integrity/narratives/{id}/check/broadcasts", auth.Analyst, integ((*Server).integrityCheckBroadcast)},
	{"GET /factcheck/feed.atom", public, integ((*Server).factCheckFeed)},
	{"GET /factcheck/{slug}", public, integ((*Server).factCheckPage)},
	// integ13a (integrity_learn_api.go): re-matching after lexicon
	// changes, analysts' labels, retraining and activating the classifier.
	{"GET /api/v1/integrity/terms/rematch", auth.Viewer, integ((*Server).integrityRematchStatus)},
	{"POST /api/v1/integrity/labels", auth.Analyst, integ(decodeCall(maxIntegrityJSON, http.StatusOK, (*integrity.Service).LabelRequested))},
	{"GET /api/v1/integrity/models", auth.Viewer, integ((*Server).integrityLearning)},
	{"POST /api/v1/integrity/models/train", auth.Analyst, integ((*Server).integrityTrain)},
	{"GET /api/v1/integrity/models/rescore", auth.Viewer, integ((*Server).integrityRescoreStatus)},
	{"POST /api/v1/integrity/models/activate", auth.Analyst, integ(decodeCall(1<<10, http.StatusOK, (*integrity.Service).Activate))},

	// Performance and accountability (performance_api.go); values and status alike for the viewer: aggregates, survey cells under the small-cell rule.
	{"GET /api/v1/performance/indicators", auth.Viewer, h((*Server).perfIndicators)},
	{"GET /api/v1/performance/areas", auth.Viewer, perf(call((*performance.Service).AreaList))},
	{"GET /api/v1/performance/reasons", auth.Viewer, h((*Server).perfReasons)},
	{"GET /api/v1/performance/value", auth.Viewer, perf((*Server).perfValue)},
	{"GET /api/v1/performance/frameworks", auth.Viewer, perf(call((*performance.Service).Frameworks))},
	{"GET /api/v1/performance/frameworks/{mission}", auth.Viewer, perf((*Server).perfFramework)},
	{"PUT /api/v1/performance/frameworks/{mission}", auth.Analyst, perf((*Server).perfPutFramework)},
	{"DELETE /api/v1/performance/frameworks/{mission}", auth.Analyst, perf((*Server).perfDeleteFramework)},
	{"POST /api/v1/performance/frameworks/{mission}/import", auth.Analyst, perf(decodeCallAt("mission", 8<<20, http.StatusOK, (*performance.Service).ImportUpload))},
	{"GET /api/v1/performance/frameworks/{mission}/status", auth.Viewer, perf(perfFrameworkPeriod((*performance.Service).Status))},
	{"POST /api/v1/performance/frameworks/{mission}/record", auth.Analyst, perf(perfFrameworkPeriod((*performance.Service).Record))},
	{"GET /api/v1/performance/frameworks/{mission}/compacts", auth.Viewer, perf(callAt("mission", (*performance.Service).CompactsOf))},
	{"PUT /api/v1/performance/frameworks/{mission}/compacts/{id}", auth.Analyst, perf((*Server).perfPutCompact)},
	{"POST /api/v1/performance/frameworks/{mission}/commitments/{id}/status", auth.Analyst, perf((*Server).perfCommitmentStatus)},
	{"GET /api/v1/performance/values", auth.Viewer, perf(queryCall((*performance.Service).RecordedFor, "mission", "framework_id", "indicator", "period", "area", "limit"))},
	{"GET /api/v1/performance/manual", auth.Viewer, perf(call((*performance.Service).ManualValues))},
	{"POST /api/v1/performance/manual", auth.Analyst, perf(decodeCall(64<<10, http.StatusCreated, (*performance.Service).EnterManual))},
	{"GET /api/v1/performance/watch", auth.Viewer, perf(getCall((*performance.Service).WatchReport))},
	{"GET /api/v1/performance/alerts", auth.Viewer, perf(getCall((*performance.Service).LeadershipAlerts))},
	{"POST /api/v1/performance/alerts/{cell}/{month}/ack", auth.Analyst, perf((*Server).perfAckAlert)}, // performance_alerts_api.go
	{"GET /api/v1/performance/brief", auth.Viewer, perf(actQuery((*performance.Service).BriefFor))},
	{"GET /api/v1/performance/frameworks/{mission}/options", auth.Viewer, perf(callAt("mission", (*performance.Service).Options))},
	{"POST /api/v1/performance/frameworks/{mission}/options", auth.Analyst, perf(decodeCallAt("mission", 64<<10, http.StatusCreated, (*performance.Service).AddOption))},
	{"DELETE /api/v1/performance/frameworks/{mission}/options/{id}", auth.Analyst, perf((*Server).perfDeleteOption)},

	// Community contacts and broadcasts (contacts_api.go).
	{"GET /api/v1/contacts", auth.Analyst, contact((*Server).contactsList)},
	{"POST /api/v1/contacts", auth.Analyst, contact(decodeCall(1<<16, http.StatusCreated, (*contacts.Service).Create))},
	{"POST /api/v1/contacts/import", auth.Analyst, contact((*Server).contactsImport)},
	{"PATCH /api/v1/contacts/{id}", auth.Analyst, contact(decodeCallAt("id", 1<<16, http.StatusOK, (*contacts.Service).Update))},
	{"GET /api/v1/broadcasts", auth.Analyst, contact(call((*contacts.Service).RecentBroadcasts))},
	{"POST /api/v1/broadcasts", auth.Analyst, contact(decodeCall(1<<16, http.StatusCreated, (*contacts.Service).Send))},
	{"GET /api/v1/broadcasts/gateways", auth.Analyst, contact(call((*contacts.Service).Gateways))},
	{"GET /api/v1/broadcasts/{id}", auth.Analyst, contact((*Server).broadcastsGet)},
	{"GET /api/v1/broadcasts/{id}/failures", auth.Analyst, contact((*Server).broadcastFailures)},

	// Broadcasts through every gateway kind (broadcasts_api.go, integ13b):
	// sending settings (admin) and delivery receipts (public: signed or
	// with the channel's secret).
	{"POST /api/v1/broadcasts/gateways", auth.Admin, contact(decodeCall(1<<12, http.StatusOK, (*contacts.Service).SetGateway))},
	{"POST /intake/twilio/{key}/status", public, contact(receipt(alerts.Twilio))},
	{"POST /intake/webhook/{key}/status", public, contact(receipt(alerts.Webhook))},
	// Radio scripts of a response (radio package).
	{"GET /api/v1/broadcasts/{id}/script", auth.Analyst, h(radioScript(broadcastScript))},
	{"GET /api/v1/radio/factchecks/{slug}", auth.Viewer, h(radioScript(factCheckScript))},

	// The web UI (ui.go): the page needs a login, its static files do not.
	{"GET /{$}", auth.Viewer, appPage},
	{"GET /ui/", public, uiHandler((*uiAssets).serveStatic)},
}

// serverMethod is a handler written as a method of Server.
type serverMethod = func(s *Server, w http.ResponseWriter, r *http.Request) error

// h makes a route's handler from a method of Server.
func h(m serverMethod) func(*Server) handlerFunc {
	return func(s *Server) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error { return m(s, w, r) }
	}
}

// fn makes a route's handler from a function that needs no server.
func fn(f handlerFunc) func(*Server) handlerFunc {
	return func(*Server) handlerFunc { return f }
}

// record makes a route's handler from an alerts method on one alert or
// incident: it takes the alert network and the {id} of the path.
func record(m func(s *Server, w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error) func(*Server) handlerFunc {
	return alert(func(s *Server, w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
		id, err := pathInt(r, "id")
		if err != nil {
			return err
		}
		return m(s, w, r, svc, id)
	})
}

// uiHandler makes a route's handler from a method of the embedded UI; the
// route is not served when the embedded UI does not load (Handler logs it).
func uiHandler(m func(a *uiAssets, w http.ResponseWriter, r *http.Request) error) func(*Server) handlerFunc {
	return func(*Server) handlerFunc {
		a, err := embeddedUI()
		if err != nil {
			return nil
		}
		return func(w http.ResponseWriter, r *http.Request) error { return m(a, w, r) }
	}
}

// hookBodyMax bounds the body of PUT /api/v1/alerts/escalation-hook (its
// URL is at most alerts.MaxHookURL bytes).
const hookBodyMax = 4 << 10
