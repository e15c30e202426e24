package classify

import (
	"bytes"
	_ "embed"
	"sync"
)

// builtinModel is the built-in harmful/normal model (see builtin.md for how it
// was trained and on what).
//
//go:embed builtin.model
var builtinModel []byte

var builtinOnce = sync.OnceValues(func() (*Model, error) {
	return Load(bytes.NewReader(builtinModel))
})

// Builtin returns the built-in model: one binary head, "harmful" against
// "normal", trained on the four labelled files of ../shared/data/mdmh
// (Davidson et al. 2017, English; Ousidhoum et al. 2019, French, English,
// Arabic). It is loaded once and shared.
func Builtin() (*Model, error) { return builtinOnce() }
