"""The Laplace-approximated deviance of a logistic model with one random intercept per group, as lme4
defines it for glmer(nAGQ = 1), evaluated to machine precision; used by make_association_fixtures.py to
check lme4's optimum and to give the standard errors from an accurate Hessian beside lme4's own.

lme4's parameterisation (Bates et al. 2015, "Fitting linear mixed-effects models using lme4", J Stat Softw
67(1), sections 3 and 5): b_j = theta * u_j with u_j ~ N(0, 1), eta_i = x_i beta + theta u_j(i), and

    deviance(theta, beta) = sum_i d_i(eta_i) + sum_j [u_j^2 + log(1 + theta^2 sum_{i in j} w_i)]

at the conditional modes u_j (which minimise sum_i d_i + sum_j u_j^2), with d_i = -2 log p(y_i | eta_i)
and w_i = mu_i (1 - mu_i). The groups are independent, so each mode is a one-dimensional Newton solve.
"""
import numpy as np


def _mu(eta):
    return 0.5 * (1 + np.tanh(eta / 2))  # logistic function, accurate for large |eta|


class RandomInterceptLogit:
    def __init__(self, y, X, group):
        levels, self.g = np.unique(group, return_inverse=True)
        self.G = len(levels)
        self.y, self.X = np.asarray(y, float), np.asarray(X, float)

    def _sum(self, v):
        return np.bincount(self.g, weights=v, minlength=self.G)

    def modes(self, theta, beta):
        """Conditional modes u_j (Newton on each group's convex penalised deviance, to convergence)."""
        offset = self.X @ beta
        u = np.zeros(self.G)
        for _ in range(100):
            mu = _mu(offset + theta * u[self.g])
            gradient = 2 * theta * self._sum(mu - self.y) + 2 * u
            curvature = 2 * theta**2 * self._sum(mu * (1 - mu)) + 2
            step = gradient / curvature
            u -= step
            if np.abs(step).max() < 1e-15:
                break
        return u

    def deviance(self, params):
        theta, beta = params[0], np.asarray(params[1:])
        u = self.modes(theta, beta)
        eta = self.X @ beta + theta * u[self.g]
        mu = _mu(eta)
        d = 2 * (np.logaddexp(0, eta) - self.y * eta)
        return d.sum() + (u**2).sum() + np.log1p(theta**2 * self._sum(mu * (1 - mu))).sum()

    def gradient(self, params):
        """Total derivative of the deviance over (theta, beta); the modes' dependence by implicit differentiation."""
        theta, beta = params[0], np.asarray(params[1:])
        u = self.modes(theta, beta)
        ug = u[self.g]
        eta = self.X @ beta + theta * ug
        mu = _mu(eta)
        w = mu * (1 - mu)
        dw = w * (1 - 2 * mu)
        d1 = 2 * (mu - self.y)
        S = self._sum(w)
        huu = 2 * theta**2 * S + 2
        du_dbeta = -np.stack([self._sum(2 * theta * w * self.X[:, k]) for k in range(self.X.shape[1])], 1) / huu[:, None]
        du_dtheta = -(self._sum(d1) + 2 * theta * self._sum(w * ug)) / huu
        # the penalised deviance term: envelope theorem (its derivative in u is zero at the mode)
        g_theta = (d1 * ug).sum()
        g_beta = self.X.T @ d1
        # the log-determinant term, through eta (and through theta directly)
        deta_dtheta = ug + theta * du_dtheta[self.g]
        denom = 1 + theta**2 * S
        g_theta += ((2 * theta * S + theta**2 * self._sum(dw * deta_dtheta)) / denom).sum()
        deta_dbeta = self.X + theta * du_dbeta[self.g]
        g_beta += (theta**2 * np.stack([self._sum(dw * deta_dbeta[:, k]) for k in range(self.X.shape[1])], 1)
                   / denom[:, None]).sum(0)
        return np.concatenate([[g_theta], g_beta])

    def hessian(self, params, relative_step=1e-4):
        """Central differences of the analytic gradient with one Richardson step (error O(h^4))."""
        params = np.asarray(params, float)
        scale = np.concatenate([[1.0], 1 / np.sqrt((self.X**2).mean(0))])
        H = np.empty((len(params), len(params)))
        for k in range(len(params)):
            def central(h):
                e = np.zeros(len(params))
                e[k] = h
                return (self.gradient(params + e) - self.gradient(params - e)) / (2 * h)
            h = relative_step * scale[k]
            H[:, k] = (4 * central(h / 2) - central(h)) / 3
        return (H + H.T) / 2

    def fit(self, start, tolerance=1e-11, max_steps=50):
        """Newton's method from a nearby start (lme4's optimum) until the gradient vanishes."""
        params = np.asarray(start, float)
        for step in range(max_steps):
            g = self.gradient(params)
            if np.abs(g).max() < tolerance:
                return params, step
            params = params - np.linalg.solve(self.hessian(params), g)
        raise RuntimeError(f"Newton did not converge: max |gradient| {np.abs(g).max()}")


def lme4_hessian(f, x, delta=1e-4):
    """The Hessian as lme4's deriv12 computes it for vcov.merMod: central differences with one fixed step
    (f(x+d e_j) - 2 f(x) + f(x-d e_j)) / d^2 and (f(++) - f(+-) - f(-+) + f(--)) / (2d)^2."""
    x = np.asarray(x, float)
    n, fx = len(x), f(x)
    H = np.empty((n, n))

    def at(*moves):
        z = x.copy()
        for k, sign in moves:
            z[k] += sign * delta
        return f(z)

    for j in range(n):
        H[j, j] = (at((j, 1)) - 2 * fx + at((j, -1))) / delta**2
        for i in range(j):
            H[i, j] = H[j, i] = (at((i, 1), (j, 1)) - at((i, 1), (j, -1)) - at((i, -1), (j, 1))
                                 + at((i, -1), (j, -1))) / (2 * delta) ** 2
    return H
