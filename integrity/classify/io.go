package classify

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sort"

	"github.com/vigil-project/vigil/integrity/lexicon"
)

// Model file headers: version 2 adds per-class offsets after the
// intercepts; version 3 adds the feature variant (Model.Features) after C
// and always has offsets; version 4 is version 3 with an exact vocabulary
// (Dim 0, 64-bit feature keys); version 5 is version 4 followed by a
// lexicon (Model.Lexicon) and its columns' weights. A model is written in the oldest version
// that holds it, so older models and files stay readable.
const (
	magic  = "VIGIL-MDMH-1\n"
	magic2 = "VIGIL-MDMH-2\n"
	magic3 = "VIGIL-MDMH-3\n"
	magic4 = "VIGIL-MDMH-4\n"
	magic5 = "VIGIL-MDMH-5\n"
)

// Save writes the model compactly: a magic line, then a gzip stream of
// varint-coded feature indices, IDF values quantised to 1/4096 and weights
// quantised to 16 bits per class.
func (m *Model) Save(w io.Writer) error {
	head := magic
	off := m.Offset
	switch {
	case len(m.Lexicon) > 0:
		if m.Dim != 0 {
			return errors.New("a model with a lexicon has an exact vocabulary")
		}
		head = magic5
		if off == nil {
			off = make([]float32, len(m.Labels))
		}
	case m.Dim == 0:
		head = magic4
		if off == nil {
			off = make([]float32, len(m.Labels))
		}
	case m.Features != 0:
		head = magic3
		if off == nil {
			off = make([]float32, len(m.Labels))
		}
	case off != nil:
		head = magic2
	}
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	var buf [binary.MaxVarintLen64]byte
	uv := func(v uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	K := len(m.Labels)
	uv(uint64(K))
	for _, l := range m.Labels {
		uv(uint64(len(l)))
		bw.WriteString(l)
	}
	uv(uint64(m.Dim))
	uv(math.Float64bits(m.C))
	if head == magic3 || head == magic4 || head == magic5 {
		uv(uint64(m.Features))
	}
	uv(uint64(len(m.Feat)))
	prev := uint64(0)
	for _, f := range m.Feat {
		uv(uint64(f - prev))
		prev = f
	}
	for _, v := range m.IDF {
		q := math.Round(float64(v) * 4096)
		binary.Write(bw, binary.LittleEndian, uint16(min(q, 65535)))
	}
	nw := len(m.Feat) * K // the n-grams' weights, quantised; the lexicon's follow
	for k := 0; k < K; k++ {
		var mx float64
		for i := k; i < nw; i += K {
			mx = math.Max(mx, math.Abs(float64(m.W[i])))
		}
		scale := mx / 32767
		if scale == 0 {
			scale = 1
		}
		binary.Write(bw, binary.LittleEndian, scale)
		for i := k; i < nw; i += K {
			binary.Write(bw, binary.LittleEndian, int16(math.Round(float64(m.W[i])/scale)))
		}
		binary.Write(bw, binary.LittleEndian, m.B[k])
	}
	if off != nil {
		binary.Write(bw, binary.LittleEndian, off)
	}
	if head == magic5 {
		str := func(s string) {
			uv(uint64(len(s)))
			bw.WriteString(s)
		}
		uv(uint64(len(m.Lexicon)))
		for _, e := range m.Lexicon {
			str(e.Term)
			uv(uint64(len(e.Variants)))
			for _, v := range e.Variants {
				str(v)
			}
			str(e.Language)
			uv(uint64(e.Severity))
		}
		binary.Write(bw, binary.LittleEndian, m.W[nw:])
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || (string(head) != magic && string(head) != magic2 && string(head) != magic3 && string(head) != magic4 && string(head) != magic5) {
		return nil, errors.New("not a Vigil classifier model (bad header)")
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	br := bufio.NewReader(zr)
	var rerr error
	uv := func() uint64 {
		v, err := binary.ReadUvarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		return v
	}
	K := uv()
	if rerr != nil || K < 2 || K > 1000 {
		return nil, fmt.Errorf("model: bad label count %d", K)
	}
	m := &Model{}
	for k := uint64(0); k < K; k++ {
		n := uv()
		if n > 1000 {
			return nil, errors.New("model: bad label")
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		m.Labels = append(m.Labels, string(b))
	}
	exact := string(head) == magic4 || string(head) == magic5
	dim := uv()
	if (dim == 0) != exact || dim > 1<<26 {
		return nil, fmt.Errorf("model: bad dimension %d", dim)
	}
	m.Dim = uint32(dim)
	m.C = math.Float64frombits(uv())
	if string(head) == magic3 || exact {
		f := uv()
		if f&^featAll != 0 {
			return nil, fmt.Errorf("model: unknown feature variant %d", f)
		}
		m.Features = uint8(f)
	}
	nf := uv()
	if nf > 2*dim && !exact || nf > 1<<26 {
		return nil, errors.New("model: bad feature count")
	}
	// grown as read, so a bad count cannot claim memory the file does not hold
	m.Feat = make([]uint64, 0, min(nf, 1<<16))
	prev := uint64(0)
	for i := uint64(0); i < nf && rerr == nil; i++ {
		d := uv()
		if i > 0 && d == 0 || prev+d < prev {
			return nil, errors.New("model: features out of order")
		}
		prev += d
		if !exact && prev >= 2*dim {
			return nil, errors.New("model: feature index out of range")
		}
		m.Feat = append(m.Feat, prev)
	}
	if rerr != nil {
		return nil, fmt.Errorf("model: %w", rerr)
	}
	q := make([]uint16, nf)
	if err := binary.Read(br, binary.LittleEndian, q); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m.IDF = make([]float32, nf)
	for i, v := range q {
		m.IDF[i] = float32(float64(v) / 4096)
	}
	nLex := 0
	if string(head) == magic5 {
		nLex = NumLexiconFeatures
	}
	m.W = make([]float32, (int(nf)+nLex)*int(K))
	m.B = make([]float32, K)
	w16 := make([]int16, nf)
	for k := 0; k < int(K); k++ {
		var scale float64
		if err := binary.Read(br, binary.LittleEndian, &scale); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		if err := binary.Read(br, binary.LittleEndian, w16); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		for i, v := range w16 {
			m.W[i*int(K)+k] = float32(float64(v) * scale)
		}
		if err := binary.Read(br, binary.LittleEndian, &m.B[k]); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
	}
	if string(head) != magic {
		m.Offset = make([]float32, K)
		if err := binary.Read(br, binary.LittleEndian, m.Offset); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		for _, v := range m.Offset {
			if math.IsNaN(float64(v)) || math.Abs(float64(v)) > 100 {
				return nil, errors.New("model: bad class offset")
			}
		}
	}
	if nLex > 0 {
		str := func() string {
			n := uv()
			if n > 1<<16 || rerr != nil {
				rerr = errors.New("bad lexicon entry")
				return ""
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(br, b); err != nil && rerr == nil {
				rerr = err
			}
			return string(b)
		}
		ne := uv()
		if ne == 0 || ne > 1<<20 {
			return nil, errors.New("model: bad lexicon size")
		}
		for i := uint64(0); i < ne && rerr == nil; i++ {
			e := lexicon.Entry{Term: str()}
			nv := uv()
			if nv > 1<<10 {
				return nil, errors.New("model: bad lexicon entry")
			}
			for j := uint64(0); j < nv && rerr == nil; j++ {
				e.Variants = append(e.Variants, str())
			}
			e.Language = str()
			e.Severity = int(uv())
			m.Lexicon = append(m.Lexicon, e)
		}
		if rerr != nil {
			return nil, fmt.Errorf("model: lexicon: %w", rerr)
		}
		if err := binary.Read(br, binary.LittleEndian, m.W[int(nf)*int(K):]); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
	}
	for i, v := range m.W {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("model: weight %d of label %q is not a finite number", i/int(K), m.Labels[i%int(K)])
		}
	}
	for k, v := range m.B {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("model: the intercept of label %q is not a finite number", m.Labels[k])
		}
	}
	m.buildIndex()
	return m, nil
}

// SplitByID marks the test part of a stratified split that depends only on
// the ids: within each label, items are ordered by the 64-bit FNV-1a hash of
// their id (ties by id) and the first round(frac·count) are the test set.
// scripts/mdmh-reference.py documents the same rule.
func SplitByID(ids, labels []string, frac float64) []bool {
	byLabel := map[string][]int{}
	for i, l := range labels {
		byLabel[l] = append(byLabel[l], i)
	}
	hash := make([]uint64, len(ids))
	for i, id := range ids {
		h := fnv.New64a()
		h.Write([]byte(id))
		hash[i] = h.Sum64()
	}
	test := make([]bool, len(ids))
	for _, idx := range byLabel {
		sort.Slice(idx, func(a, b int) bool {
			ia, ib := idx[a], idx[b]
			if hash[ia] != hash[ib] {
				return hash[ia] < hash[ib]
			}
			return ids[ia] < ids[ib]
		})
		n := int(math.Round(frac * float64(len(idx))))
		for _, i := range idx[:n] {
			test[i] = true
		}
	}
	return test
}
