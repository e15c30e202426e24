package classify

import "math"

// objective returns f(x) and writes ∇f(x) into g.
type objective func(x, g []float64) float64

// lbfgs minimises a smooth convex function from x (updated in place) with
// limited-memory BFGS (m pairs) and a backtracking Armijo line search. It stops
// when the largest gradient component is below gtol, when the relative
// decrease of f falls below 1e-10 twice in a row, or after maxIter iterations.
// It is deterministic: no randomness, fixed operation order.
func lbfgs(f objective, x []float64, m, maxIter int, gtol float64) (fx float64, iters int) {
	n := len(x)
	g := make([]float64, n)
	fx = f(x, g)
	s := make([][]float64, 0, m)
	y := make([][]float64, 0, m)
	rho := make([]float64, 0, m)
	alpha := make([]float64, m)
	d := make([]float64, n)
	xNew := make([]float64, n)
	gNew := make([]float64, n)
	small := 0
	for iters = 0; iters < maxIter; iters++ {
		if infNorm(g) < gtol {
			break
		}
		// two-loop recursion: d = -H g
		copy(d, g)
		for i := len(s) - 1; i >= 0; i-- {
			alpha[i] = rho[i] * dot(s[i], d)
			axpy(-alpha[i], y[i], d)
		}
		gamma := 1.0
		if len(s) > 0 {
			k := len(s) - 1
			gamma = dot(s[k], y[k]) / dot(y[k], y[k])
		} else {
			gamma = 1 / math.Max(norm2(g), 1e-12)
		}
		for i := range d {
			d[i] *= gamma
		}
		for i := 0; i < len(s); i++ {
			beta := rho[i] * dot(y[i], d)
			axpy(alpha[i]-beta, s[i], d)
		}
		for i := range d {
			d[i] = -d[i]
		}
		gd := dot(g, d)
		if gd >= 0 { // not a descent direction: restart with steepest descent
			s, y, rho = s[:0], y[:0], rho[:0]
			for i := range d {
				d[i] = -g[i]
			}
			gd = dot(g, d)
			gamma = 1 / math.Max(norm2(g), 1e-12)
			for i := range d {
				d[i] *= gamma
			}
			gd *= gamma
		}
		step := 1.0
		var fNew float64
		ok := false
		for ls := 0; ls < 40; ls++ {
			for i := range x {
				xNew[i] = x[i] + step*d[i]
			}
			fNew = f(xNew, gNew)
			if fNew <= fx+1e-4*step*gd {
				ok = true
				break
			}
			step *= 0.5
		}
		if !ok {
			break
		}
		// update history
		var sv, yv []float64
		if len(s) == m {
			sv, yv = s[0], y[0]
			s, y, rho = s[1:], y[1:], rho[1:]
		} else {
			sv, yv = make([]float64, n), make([]float64, n)
		}
		for i := range x {
			sv[i] = xNew[i] - x[i]
			yv[i] = gNew[i] - g[i]
		}
		if sy := dot(sv, yv); sy > 1e-12 {
			s = append(s, sv)
			y = append(y, yv)
			rho = append(rho, 1/sy)
		}
		copy(x, xNew)
		copy(g, gNew)
		if (fx-fNew)/math.Max(math.Abs(fx), 1) < 1e-10 {
			small++
			if small >= 2 {
				fx = fNew
				iters++
				break
			}
		} else {
			small = 0
		}
		fx = fNew
	}
	return fx, iters
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

func norm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

func infNorm(a []float64) float64 {
	var m float64
	for _, v := range a {
		if v := math.Abs(v); v > m {
			m = v
		}
	}
	return m
}
