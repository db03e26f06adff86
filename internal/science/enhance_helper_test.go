package science

// enhance3 unpacks an EnhanceResult for tests written against the triple.
func enhance3(a Analysis, p Program) (Program, []Finding, []Finding) {
	r := Enhance(a, p)
	return r.Program, r.Fixes, r.Remaining
}
