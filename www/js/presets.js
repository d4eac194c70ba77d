// The gallery: named one-click demos, each nothing but a link, with what to notice.

export const PRESETS = [
  {
    title: 'Why momentum really works',
    caption: 'Distill\'s banana. Plain gradient descent crawls along the curved valley; with momentum γ = 0.9 the same step size races down it, overshooting in the steep direction. Drag γ towards 0 and back.',
    hash: 'surface=banana&start=-1.2,1&steps=150&opt=sgd:lr=0.003|momentum:lr=0.003',
  },
  {
    title: 'Ill-conditioned quadratic',
    caption: 'Curvatures 1 and 50, rotated 30°. Gradient descent must keep η < 2/50 for the steep direction, so it zig-zags and barely moves along the flat one; momentum and Adam do not.',
    hash: 'surface=quadratic:lambda2=50,angle=30&start=-2.5,2&steps=150&opt=sgd:lr=0.035|momentum:lr=0.01|adam:lr=0.1',
  },
  {
    title: 'Saddle point race',
    caption: 'Starting on the ridge of x² − y²: plain gradient descent sits near the saddle for a long time before the tiny offset in y grows; adaptive methods and momentum escape far sooner.',
    hash: 'surface=saddle&start=-1.8,0.0001&steps=120&mode=race&speed=20&play=1&opt=sgd:lr=0.03|momentum:lr=0.03|nesterov:lr=0.03|adagrad:lr=0.1|rmsprop:lr=0.03|adadelta|adam:lr=0.03',
  },
  {
    title: 'Beale race',
    caption: 'Flat plateaus and steep ridges. Watch which methods find the minimum at (3, ½), and which wander off along a plateau.',
    hash: 'surface=beale&start=1,1.5&steps=600&mode=race&speed=60&play=1&opt=sgd:lr=0.001|momentum:lr=0.001|adagrad:lr=0.5|rmsprop:lr=0.01|adam:lr=0.05|adadelta',
  },
  {
    title: 'Long valley',
    caption: 'A narrow valley (curvature 10 across) whose floor falls gently (slope ½). SGD bounces between the walls and crawls; momentum and RMSprop build up speed along the floor.',
    hash: 'surface=long-valley&start=-8,2&steps=300&opt=sgd:lr=0.15|momentum:lr=0.02|rmsprop:lr=0.05|adam:lr=0.1',
  },
  {
    title: 'Learning rate too high diverges',
    caption: 'On ½(x² + 10y²) gradient descent converges only for η < 2/10. At η = 0.19 it zig-zags inwards; at η = 0.21 every step overshoots more than the last.',
    hash: 'surface=quadratic&start=-2.5,2&steps=200&opt=sgd:lr=0.1|sgd:lr=0.19|sgd:lr=0.21',
  },
  {
    title: 'Momentum overshoots',
    caption: 'With γ = 0.99 the ball keeps its speed: it overshoots the minimum and spirals around it for hundreds of steps, where γ = 0.9 settles.',
    hash: 'surface=quadratic:lambda2=4&start=-2.5,2&steps=300&opt=momentum:lr=0.01|momentum:lr=0.01,momentum=0.99',
  },
  {
    title: 'Adam with and without bias correction',
    caption: 'Adam\'s moments start at zero. Without dividing by 1 − βᵗ the first steps are about (1 − β₁)/√(1 − β₂) ≈ 3 times too large: watch the early jump.',
    hash: 'surface=rosenbrock&start=-1.5,1.5&steps=200&opt=adam:lr=0.05|adam:lr=0.05,bias_correction=false',
  },
  {
    title: 'Adam at 3e-4',
    caption: 'The "Karpathy constant": a good default for networks, whose weights need small moves. Here each coordinate moves about 3e-4 per step, so crossing the valley takes thousands of steps.',
    hash: 'surface=rosenbrock&start=-1.5,1.5&steps=5000&opt=adam:lr=0.0003|adam:lr=0.01',
  },
];
