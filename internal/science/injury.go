package science

import "slices"

// What a coach changes for an injured lifter beyond leaving tagged
// exercises out (DOMAIN.md, "Injuries by joint stress"): an injured elbow
// keeps curls and triceps isolation moderate, an injured shoulder gets rear
// delt work to keep the back of the joint strong.

// injuryPriority adjusts one muscle's base priority for the injuries.
func (a *Analysis) injuryPriority(ms *muscleState, m, minStart int) {
	inj := a.Input.Injuries
	weak := slices.Contains(a.Input.WeakPoints, Muscles[m])
	switch {
	case slices.Contains(inj, "elbow") && (m == mBiceps || m == mTriceps) && !weak && ms.status == statusGrow:
		// Steady, not rising: the arms hold their sets while the elbow
		// settles, and presses and rows still train them.
		ms.status = statusMaintain
	case slices.Contains(inj, "shoulder") && m == mRearDelts && ms.status == statusIndirect && len(a.byMuscle[m]) > 0 &&
		a.Input.Experience != LevelBeginner:
		// Face pulls and reverse flyes strengthen what a pressing-heavy
		// week leaves weak around an injured shoulder. A beginner's rows
		// do that at their level, within their short list of lifts.
		ms.status = statusGrow
		ms.start = min(max(ms.l.MEV, minStart), ms.l.MAVHigh)
		ms.full = min(ms.start+ms.acc-1, ms.l.MAVHigh)
	}
}

// injuryTrimOrder moves the trim steps of muscles an injury makes cheap or
// dear to cut: with an injured elbow the arms go first, with an injured
// shoulder the rear delts go last within each kind of step.
func injuryTrimOrder(steps []trimStep, injuries []string) []trimStep {
	first := func(m int) bool { return slices.Contains(injuries, "elbow") && (m == mBiceps || m == mTriceps) }
	last := func(m int) bool { return slices.Contains(injuries, "shoulder") && m == mRearDelts }
	out := make([]trimStep, 0, len(steps))
	for i := 0; i < len(steps); {
		j := i
		for j < len(steps) && steps[j].kind == steps[i].kind {
			j++
		}
		run := steps[i:j]
		for _, st := range run {
			if first(st.m) {
				out = append(out, st)
			}
		}
		for _, st := range run {
			if !first(st.m) && !last(st.m) {
				out = append(out, st)
			}
		}
		for _, st := range run {
			if last(st.m) && !first(st.m) {
				out = append(out, st)
			}
		}
		i = j
	}
	return out
}

// jointFriendly lists, per injury, the variants a coach reaches for first:
// a neutral grip and a steady cable pull keep an injured elbow calm.
var jointFriendly = map[string][]string{
	"elbow": {"hammer_curl", "cable_curl", "cable_triceps_pushdown", "band_triceps_pushdown"},
}

// preferJointFriendly moves an injury's friendly variants to the front of
// their muscle's candidates, within their quality tier, so the layout
// reaches for them first.
func (a *Analysis) preferJointFriendly() {
	var friendly []string
	for _, inj := range a.Input.Injuries {
		friendly = append(friendly, jointFriendly[inj]...)
	}
	if len(friendly) == 0 {
		return
	}
	cat := catalogue().list
	for m := range a.byMuscle {
		slices.SortStableFunc(a.byMuscle[m], func(x, y int) int {
			if d := cat[x].Quality - cat[y].Quality; d != 0 {
				return d
			}
			return boolRank(!slices.Contains(friendly, cat[x].ID)) - boolRank(!slices.Contains(friendly, cat[y].ID))
		})
	}
}

// boolRank is 1 for true, 0 for false.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
