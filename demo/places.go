package demo

import (
	"sync"

	"github.com/vigil-project/vigil/geotext"
)

// GazetteerFile is the shipped gazetteer (see data/ATTRIBUTION.md).
const GazetteerFile = "gazetteer_africa.csv"

var (
	gazOnce sync.Once
	gaz     *geotext.Gazetteer
	gazErr  error
)

// Gazetteer returns the gazetteer Vigil ships: towns, first-level units and
// the localities real event and deployment data name, for Africa. It is
// loaded once (about 6,000 places) and shared: do not change it.
func Gazetteer() (*geotext.Gazetteer, error) {
	gazOnce.Do(func() {
		r, err := Open(GazetteerFile)
		if err != nil {
			gazErr = err
			return
		}
		defer r.Close()
		gaz, gazErr = geotext.LoadGazetteer(r, GazetteerFile)
	})
	return gaz, gazErr
}
