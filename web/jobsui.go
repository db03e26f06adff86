package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"liftplan/static"
)

// maxJobsPage bounds the River UI document we rewrite; its index.html is a few kilobytes.
const maxJobsPage = 1 << 20

// withBackLink wraps River UI so its HTML document carries a link back to /admin: River UI is
// a single-page app without a way out to the product it is mounted in. Only the document is
// touched (its API answers JSON and its assets are files), and only a small one.
func withBackLink(next http.Handler) http.Handler {
	link := []byte(`<link rel="stylesheet" href="` + static.Path("css/jobs.css") + `"><a id="liftplan-back" href="/admin">← liftplan admin</a>`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || strings.Contains(r.URL.Path, "/api/") || strings.Contains(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], ".") {
			next.ServeHTTP(w, r)
			return
		}
		rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") && len(body) < maxJobsPage {
			if i := bytes.LastIndex(body, []byte("</body>")); i >= 0 {
				body = append(body[:i:i], append(link, body[i:]...)...)
			}
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.status)
		_, _ = w.Write(body)
	})
}

// bufferedResponse collects a response so it can be rewritten before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
