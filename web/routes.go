package web

import (
	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
)

// routes is the map of the product: every URL liftplan serves, in one place. The groups say
// which routes carry a session and a CSRF check: health, metrics and static files have neither;
// River UI has the session and its own same-origin check; everything else has both.
func (s *Server) routes(e *echo.Echo) {
	s.middleware(e)
	s.healthRoutes(e)
	e.GET("/static/*", s.serveStatic)

	app := e.Group("", s.loadSession, s.checkCSRF)
	app.GET("/", s.landing)
	app.GET("/signup", s.signupPage, s.anonOnly)
	app.POST("/signup", s.signup, s.anonOnly)
	app.GET("/login", s.loginPage, s.anonOnly)
	app.POST("/login", s.login, s.anonOnly)
	app.POST("/logout", s.logout, s.requirePage)

	app.GET("/programs", s.programsPage, s.requirePage)
	app.GET("/programs/new", s.newProgramPage, s.requirePage)
	app.POST("/programs", s.createProgram, s.requirePage)
	app.GET("/programs/:id", s.showProgram, s.requirePage)
	app.GET("/programs/:id/status", s.programStatus, s.requireData)
	app.GET("/programs/:id/events", s.programEvents, s.requireData)
	app.GET("/programs/:id/export.json", s.exportProgram, s.requireData)
	app.GET("/programs/:id/calendar.ics", s.programCalendar, s.requireData)
	app.POST("/programs/:id/retry", s.retryProgram, s.requirePage)
	app.POST("/programs/:id/regenerate", s.regenerateProgram, s.requirePage)

	app.GET("/programs/:id/today", s.todayPage, s.requirePage)
	app.POST("/programs/:id/log", s.logSet, s.requirePage)
	app.POST("/programs/:id/sessions/:week/:day/complete", s.completeSession, s.requirePage)
	app.GET("/programs/:id/log", s.logPage, s.requirePage)
	app.GET("/programs/:id/log.csv", s.logCSV, s.requirePage)
	app.POST("/programs/:id/next-block", s.nextBlock, s.requirePage)

	app.GET("/exercises", s.exercisesPage, s.requirePage)
	app.GET("/exercises.json", s.exercisesJSON, s.requireData)

	isCoach := s.requireRole(auth.User.IsCoach)
	app.GET("/coach", s.coachPage, isCoach)
	app.GET("/coach/clients/:userID", s.coachClient, isCoach)
	app.POST("/coach/clients/:userID/next-block", s.coachNextBlock, isCoach)
	app.POST("/coach/next-blocks", s.coachNextBlocks, isCoach)

	isAdmin := s.requireRole(auth.User.IsAdmin)
	app.GET("/admin", s.adminPage, isAdmin)
	app.GET("/admin/programs", s.adminPrograms, isAdmin)
	app.POST("/admin/programs/:id/retry", s.adminRetry, isAdmin)
	app.POST("/admin/programs/retry-failed", s.adminRetryAll, isAdmin)
	app.GET("/admin/users", s.adminUsers, isAdmin)
	app.POST("/admin/users/:id", s.adminUpdateUser, isAdmin)
	app.POST("/admin/cache/purge", s.purgeCache, isAdmin)
	if s.jobsUI != nil {
		app.GET("/admin/jobs", func(c echo.Context) error { return redirect(c, "/admin/jobs/") }, isAdmin)
		jobs := e.Group("/admin/jobs", s.loadSession, s.sameOriginJSON)
		jobs.Any("/*", echo.WrapHandler(withBackLink(s.jobsUI)), isAdmin)
	}
}

// healthRoutes are served by every process, the worker-only one included. /metrics moves to a
// listener of its own when METRICS_ADDR is set (MetricsHandler).
func (s *Server) healthRoutes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if s.cfg.MetricsAddr == "" {
		e.GET("/metrics", s.metricsHandler())
	}
}
