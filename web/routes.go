package web

import (
	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
)

// routes is the map of the product: every URL liftplan serves, in one place.
func (s *Server) routes(e *echo.Echo) {
	s.middleware(e)
	s.healthRoutes(e)
	e.GET("/static/*", s.serveStatic)

	e.GET("/", s.landing)
	e.GET("/signup", s.signupPage, s.anonOnly)
	e.POST("/signup", s.signup, s.anonOnly)
	e.GET("/login", s.loginPage, s.anonOnly)
	e.POST("/login", s.login, s.anonOnly)
	e.POST("/logout", s.logout, s.requirePage)

	e.GET("/programs", s.programsPage, s.requirePage)
	e.GET("/programs/new", s.newProgramPage, s.requirePage)
	e.POST("/programs", s.createProgram, s.requirePage)
	e.GET("/programs/:id", s.showProgram, s.requirePage)
	e.GET("/programs/:id/status", s.programStatus, s.requireData)
	e.GET("/programs/:id/events", s.programEvents, s.requireData)
	e.GET("/programs/:id/export.json", s.exportProgram, s.requireData)
	e.POST("/programs/:id/retry", s.retryProgram, s.requirePage)
	e.POST("/programs/:id/regenerate", s.regenerateProgram, s.requirePage)

	if s.training != nil {
		e.GET("/programs/:id/today", s.todayPage, s.requirePage)
		e.POST("/programs/:id/log", s.logSet, s.requirePage)
		e.POST("/programs/:id/sessions/:week/:day/complete", s.completeSession, s.requirePage)
		e.GET("/programs/:id/log", s.logPage, s.requirePage)
		e.GET("/programs/:id/log.csv", s.logCSV, s.requirePage)
		e.POST("/programs/:id/next-block", s.nextBlock, s.requirePage)
	}

	e.GET("/exercises", s.exercisesPage, s.requirePage)
	e.GET("/exercises.json", s.exercisesJSON, s.requireData)

	isCoach := s.requireRole(auth.User.IsCoach)
	e.GET("/coach", s.coachPage, isCoach)
	e.GET("/coach/clients/:userID", s.coachClient, isCoach)
	if s.training != nil {
		e.POST("/coach/clients/:userID/next-block", s.coachNextBlock, isCoach)
		e.POST("/coach/next-blocks", s.coachNextBlocks, isCoach)
	}

	isAdmin := s.requireRole(auth.User.IsAdmin)
	e.GET("/admin", s.adminPage, isAdmin)
	e.GET("/admin/programs", s.adminPrograms, isAdmin)
	e.POST("/admin/programs/:id/retry", s.adminRetry, isAdmin)
	e.POST("/admin/programs/retry-failed", s.adminRetryAll, isAdmin)
	e.GET("/admin/users", s.adminUsers, isAdmin)
	e.POST("/admin/users/:id", s.adminUpdateUser, isAdmin)
	if s.jobsUI != nil {
		e.GET("/admin/jobs", func(c echo.Context) error { return redirect(c, "/admin/jobs/") }, isAdmin)
		e.Any("/admin/jobs/*", echo.WrapHandler(s.jobsUI), isAdmin)
	}
	e.POST("/admin/cache/purge", s.purgeCache, isAdmin)
}

// healthRoutes are served by every process, the worker-only one included.
func (s *Server) healthRoutes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
}
