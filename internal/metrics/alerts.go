package metrics

import _ "embed"

// AlertRules is the Prometheus alerting rules file for liftplan (alerts.yml), shipped with the
// binary so operators and tests read the same text.
//
//go:embed alerts.yml
var AlertRules []byte
