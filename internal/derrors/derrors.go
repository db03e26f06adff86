// Package derrors is liftplan's one behavioural error type (pkgsite's derrors idea): an error
// says what kind of failure it is (for the HTTP status), whether a retry can help, and the
// sentence a user may read, while its cause stays for logs and admins. Every layer wraps with
// fmt.Errorf("…: %w", err); the web error handler and the pipeline ask this package, never a
// type of their own.
package derrors

import "errors"

// Kind classifies an error for the one table that maps errors to HTTP statuses.
type Kind int

// Kinds of domain errors.
const (
	// Internal is anything unexpected (500); its message is never shown.
	Internal Kind = iota
	// NotFound: no such thing, or not one the viewer may see (404 either way).
	NotFound
	// Forbidden: the viewer may see it but not change it (403).
	Forbidden
	// Conflict: the thing is not in a state that allows the action (409).
	Conflict
	// Invalid: the request itself is malformed (400).
	Invalid
	// Unavailable: the service sheds load for a moment (503 with Retry-After), e.g. every
	// password-hashing worker busy. Expected under a flood, so it is a warning, not an error.
	Unavailable
)

// Error is a classified error.
type Error struct {
	// Kind decides the HTTP status.
	Kind Kind
	// Message is plain language, safe to show to the person who asked.
	Message string
	// Permanent means no retry can fix it (bad key, exhausted quota, unreadable input).
	Permanent bool
	// NeedsOperator means only an operator (an administrator) can remove the cause: exhausted
	// quota, rejected credentials, a provider that refuses our configuration. Implies Permanent.
	// The owner is then told who can fix it instead of being offered a retry that must fail.
	NeedsOperator bool
	// Err is the technical cause (may be nil for a sentinel).
	Err error
}

// Error implements error with the technical cause, which is what logs and admins need.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

// Unwrap keeps the cause reachable.
func (e *Error) Unwrap() error { return e.Err }

// New returns a sentinel of kind with the message a user reads, e.g. a package's ErrNotFound.
// Compare with errors.Is; wrap with fmt.Errorf("…: %w", ErrNotFound).
func New(kind Kind, message string) *Error {
	return &Error{Kind: kind, Message: message}
}

// Permanent marks err as not worth retrying, with the sentence the user should read.
func Permanent(message string, err error) error {
	return &Error{Kind: Internal, Message: message, Permanent: true, Err: err}
}

// ForOperator marks err as permanent and fixable only by an operator (quota, credentials,
// configuration), with the sentence the user should read.
func ForOperator(message string, err error) error {
	return &Error{Kind: Internal, Message: message, Permanent: true, NeedsOperator: true, Err: err}
}

// Retryable marks err as worth another attempt, with the sentence the user reads if no attempt
// is left (e.g. an answer still unusable after its repair: models sample differently each time).
func Retryable(message string, err error) error {
	return &Error{Kind: Internal, Message: message, Err: err}
}

// IsPermanent reports whether the outermost classified error in err's chain is permanent.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// NeedsOperator reports whether the outermost classified error in err's chain can only be fixed
// by an operator.
func NeedsOperator(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.NeedsOperator
}

// UserMessage is the first user-facing sentence in err's chain, or "".
func UserMessage(err error) string {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return ""
		}
		if e.Message != "" {
			return e.Message
		}
		err = e.Err
	}
	return ""
}

// KindOf is the kind of the outermost classified error in err's chain (Internal when none).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
