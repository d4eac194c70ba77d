use super::axes::{chart3d, HEIGHT_TICKS, HEIGHT_TICK_GAP};
use super::camera::PITCH_RANGE;
use super::mesh::LIFT;
use super::*;
use crate::field::{Field, Scale};
use crate::render::{style_of, svg};
use crate::run::{self, Status, Trajectory};
use crate::surface::{from_spec, ViewBox};
use crate::Spec;
use std::f64::consts::PI;

fn surface(text: &str) -> Box<dyn Surface> {
    from_spec(&Spec::parse(text).unwrap()).unwrap()
}

fn trajectory(surface: &dyn Surface, optimizer: &str, start: Point, steps: usize) -> Trajectory {
    let mut method = crate::optim::from_spec(&Spec::parse(optimizer).unwrap()).unwrap();
    run::run(surface, &mut method, start, steps).unwrap()
}

fn style<'a>(t: &'a Trajectory, id: &str) -> PathStyle<'a> {
    let look = style_of(id, 0);
    PathStyle {
        points: &t.points,
        colour: look.colour,
        shape: look.shape,
        label: "",
        diverged: matches!(t.status, Status::Diverged { .. }),
    }
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

const SIZE: (u32, u32) = (800, 600);

fn draw(surface: &dyn Surface, paths: &[PathStyle], upto: usize, camera: Camera) -> String {
    let layout = Layout::new(SIZE.0, SIZE.1, 1.0, MARGINS_3D);
    let mesh = Mesh::sample(surface, surface.view(), MESH_SIDE);
    svg(SIZE, |area| {
        surface3d(area, &layout, surface, &mesh, paths, upto, camera)
    })
}

/// An SVG element's `points` as pixels, its `fill` and its `stroke`.
type Drawn = (Vec<(f64, f64)>, String, String);

/// Every element `tag` of an SVG, in the order drawn.
fn shapes(svg: &str, tag: &str) -> Vec<Drawn> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .map(|n| {
            let points = crate::render::svg_points(n.attribute("points").unwrap_or(""));
            let attribute = |name| n.attribute(name).unwrap_or("").to_string();
            (points, attribute("fill"), attribute("stroke"))
        })
        .collect()
}

/// The panels behind the box, as plotters fills them.
const PANEL: &str = "#F0F0F0";

/// How squarely face `cell` looks at the camera: n · w, w towards the camera.
fn facing(mesh: &Mesh, cell: usize, camera: Camera) -> f64 {
    let side = mesh.side();
    let (i, j) = (cell % side, cell / side);
    let n = normal(
        mesh,
        [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].map(|(a, b)| mesh.vertex(a, b)),
    );
    let (s, c) = camera.yaw().sin_cos();
    let (sp, cp) = camera.pitch().sin_cos();
    n[0] * s * cp - n[1] * c * cp + n[2] * sp
}

#[test]
fn the_surface_is_a_polygon_per_face_turned_to_the_camera_on_a_block() {
    let banana = surface("banana");
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    let faces = |svg: &str| {
        shapes(svg, "polygon")
            .into_iter()
            .filter(|(points, fill, _)| points.len() == 4 && fill != PANEL)
            .count()
    };
    // Seen from high up, every face; from a corner, two sides of the block, each the
    // surface's profile along an edge, then the floor's two corners.
    let above = Camera::from_degrees(-35.0, 80.0).unwrap();
    let svg = draw(banana.as_ref(), &[], 0, above);
    assert_eq!(faces(&svg), MESH_SIDE * MESH_SIDE);
    let sides = |svg: &str| {
        shapes(svg, "polygon")
            .iter()
            .filter(|(points, _, _)| points.len() == MESH_SIDE + 3)
            .count()
    };
    assert_eq!(sides(&svg), 2);
    // From low down, the faces turned away are hidden behind those in front of them,
    // and not painted; all the others are.
    let low = Camera::from_degrees(-35.0, 10.0).unwrap();
    let turned = (0..MESH_SIDE * MESH_SIDE)
        .filter(|&cell| facing(&mesh, cell, low) < 0.0)
        .count();
    assert!(turned > 50, "{turned} faces turned away");
    let svg = draw(banana.as_ref(), &[], 0, low);
    assert_eq!(faces(&svg), MESH_SIDE * MESH_SIDE - turned);
    // From straight in front, one side.
    let svg = draw(banana.as_ref(), &[], 0, Camera::new(0.0, 0.6).unwrap());
    assert_eq!(sides(&svg), 1);
}

#[test]
fn faces_are_painted_in_the_order_of_plotters_own_depth() {
    let banana = surface("banana");
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    let view = mesh.view();
    let layout = Layout::new(SIZE.0, SIZE.1, 1.0, MARGINS_3D);
    let side = mesh.side();
    for (yaw, pitch) in [
        (-35.0, 35.0),
        (0.0, 10.0),
        (60.0, 80.0),
        (135.0, 45.0),
        (-170.0, 20.0),
    ] {
        let camera = Camera::from_degrees(yaw, pitch).unwrap();
        let order = mesh.back_to_front(camera);
        assert_eq!(order.len(), side * side);
        svg(SIZE, |area| {
            let chart = chart3d(area, &layout, &mesh, camera)?;
            // The depth plotters projects the middle of each face's footprint to, in
            // (rounded) pixels: larger is farther.
            let coordinates = chart.as_coord_spec();
            let depths: Vec<i32> = order
                .iter()
                .map(|&cell| {
                    let (i, j) = ((cell % side) as f64 + 0.5, (cell / side) as f64 + 0.5);
                    let x = view.x.0 + i / side as f64 * view.width();
                    let y = view.y.0 + j / side as f64 * view.height();
                    let (a, h, b) = at((x, y), 0.0);
                    coordinates.projected_depth(&a, &h, &b)
                })
                .collect();
            assert!(
                depths.windows(2).all(|w| w[0] + 1 >= w[1]),
                "({yaw}, {pitch}): not from back to front"
            );
            assert!(depths[0] > depths[depths.len() - 1] + 20);
            Ok(())
        });
    }
}

#[test]
fn a_path_lies_on_or_above_the_surface_up_to_its_head() {
    let banana = surface("banana");
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    let t = trajectory(banana.as_ref(), "momentum:lr=0.002", banana.start(), 200);
    let upto = 60;
    let paths = [style(&t, "momentum")];
    let stretches = stretches((banana.as_ref(), &mesh), &paths, upto, Camera::default());
    for stretch in &stretches {
        assert_eq!(stretch.path, 0);
        for &(y, h, x) in &stretch.points {
            assert!(inside(&mesh.view(), (x, y)));
            // z = max(height(f(x, y)), the drawn surface) + lift.
            let f = mesh.height(banana.value([x, y]));
            let drawn = mesh.drawn((x, y));
            assert!(h >= f + LIFT && h >= drawn + LIFT, "({x}, {y}): {h}");
            assert_eq!(h, f.max(drawn) + LIFT);
        }
    }
    // The stretches join up, in order, from the start to iterate `upto`.
    for pair in stretches.windows(2) {
        assert_eq!(pair[0].points.last(), pair[1].points.first());
    }
    let first = stretches[0].points[0];
    let last = *stretches[stretches.len() - 1].points.last().unwrap();
    assert_eq!((first.2, first.0), (t.points[0][0], t.points[0][1]));
    assert_eq!((last.2, last.0), (t.points[upto][0], t.points[upto][1]));
}

#[test]
fn a_path_behind_a_hill_is_drawn_faint() {
    // Seen from low behind the banana's valley, parts of a run on its floor are hidden.
    let banana = surface("banana");
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    let t = trajectory(banana.as_ref(), "momentum:lr=0.002", banana.start(), 200);
    let paths = [style(&t, "momentum")];
    let colour = hex(style_of("momentum", 0).colour);
    let opacities = |camera: Camera| -> Vec<String> {
        let svg = draw(banana.as_ref(), &paths, 200, camera);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(&colour))
            .map(|n| n.attribute("opacity").unwrap().to_string())
            .collect()
    };
    let low = Camera::from_degrees(150.0, 20.0).unwrap();
    let stretches = stretches((banana.as_ref(), &mesh), &paths, 200, low);
    assert!(stretches.iter().any(|s| s.in_sight) && stretches.iter().any(|s| !s.in_sight));
    let drawn = opacities(low);
    assert_eq!(drawn.len(), stretches.len());
    // The hidden ones first, under the others.
    let hidden = stretches.iter().filter(|s| !s.in_sight).count();
    assert!(drawn[..hidden].iter().all(|o| *o == HIDDEN.to_string()));
    assert!(drawn[hidden..].iter().all(|o| o == "1"));
    // From straight above, all of it is in sight, in one line.
    assert_eq!(opacities(Camera::from_degrees(0.0, 86.0).unwrap()), ["1"]);
}

#[test]
fn a_racing_head_is_drawn_in_its_method_s_shape_faint_where_out_of_sight() {
    let banana = surface("banana");
    let t = trajectory(banana.as_ref(), "adam:lr=0.05", banana.start(), 200);
    let upto = 30;
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    let head = (t.points[upto][0], t.points[upto][1]);
    let h = mesh.lifted(banana.as_ref(), head);
    let above = Camera::from_degrees(0.0, 86.0).unwrap();
    assert!(mesh.in_sight(head, h, above));
    // Seen from low enough, some side of the valley it lies in hides it.
    let low = (0..360)
        .step_by(15)
        .map(|yaw| Camera::from_degrees(yaw as f64, 5.0).unwrap())
        .find(|&camera| !mesh.in_sight(head, h, camera))
        .expect("seen from every side at 5°");
    let colour = hex(style_of("adam", 0).colour);
    let opacities = |camera: Camera| -> Vec<String> {
        let svg = draw(banana.as_ref(), &[style(&t, "adam")], upto, camera);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polygon") && n.attribute("fill") == Some(&colour))
            .filter(|n| n.attribute("points").unwrap().split_whitespace().count() == 10)
            .map(|n| n.attribute("opacity").unwrap().to_string())
            .collect()
    };
    assert_eq!(opacities(above), ["1"]);
    assert_eq!(opacities(low), [HIDDEN.to_string()]);
}

#[test]
fn a_point_behind_a_ridge_is_out_of_sight() {
    // f = ½(x² + 20y²): seen from low on the side of y_min, the valley's floor at y = 0
    // lies behind the wall rising to y = −3; from above it is in plain sight.
    let valley = surface("quadratic:lambda1=1,lambda2=20");
    let mesh = Mesh::sample(valley.as_ref(), valley.view(), MESH_SIDE);
    let floor = (0.0, 0.0);
    let h = mesh.lifted(valley.as_ref(), floor);
    assert!(!mesh.in_sight(floor, h, Camera::from_degrees(0.0, 10.0).unwrap()));
    assert!(mesh.in_sight(floor, h, Camera::from_degrees(0.0, 80.0).unwrap()));
}

#[test]
fn a_diverged_run_and_an_overflowing_surface_draw_no_nan() {
    let rosenbrock = surface("rosenbrock");
    let t = trajectory(rosenbrock.as_ref(), "sgd:lr=0.01", [-1.5, 2.5], 100);
    assert!(matches!(t.status, Status::Diverged { .. }));
    let check = |svg: &str| {
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{bad}");
        }
        for tag in ["polygon", "polyline"] {
            for (points, _, _) in shapes(svg, tag) {
                assert!(points
                    .iter()
                    .all(|p| (0.0..=f64::from(SIZE.0)).contains(&p.0)
                        && (0.0..=f64::from(SIZE.1)).contains(&p.1)));
            }
        }
    };
    for upto in [5, usize::MAX] {
        check(&draw(
            rosenbrock.as_ref(),
            &[style(&t, "sgd")],
            upto,
            Camera::default(),
        ));
    }
    // f overflows to +∞ over most of this box: the top of the scale, never NaN.
    let layout = Layout::new(SIZE.0, SIZE.1, 1.0, MARGINS_3D);
    let huge = ViewBox::new(-1e160, 1e160, -1e160, 1e160);
    let mesh = Mesh::sample(rosenbrock.as_ref(), huge, MESH_SIDE);
    check(&svg(SIZE, |area| {
        surface3d(
            area,
            &layout,
            rosenbrock.as_ref(),
            &mesh,
            &[style(&t, "sgd")],
            usize::MAX,
            Camera::default(),
        )
    }));
}

#[test]
fn a_camera_wraps_its_yaw_clamps_its_pitch_and_refuses_what_is_not_an_angle() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let camera = Camera::from_degrees(370.0, 95.0).unwrap();
    assert!(close(camera.yaw(), 10f64.to_radians()));
    assert!(close(camera.pitch(), PITCH_RANGE.1.to_radians()));
    let camera = Camera::from_degrees(-190.0, -20.0).unwrap();
    assert!(close(camera.yaw(), 170f64.to_radians()));
    assert!(close(camera.pitch(), PITCH_RANGE.0.to_radians()));
    assert!(close(Camera::new(-PI, 0.5).unwrap().yaw(), PI));
    for (yaw, pitch) in [(f64::NAN, 30.0), (0.0, f64::INFINITY)] {
        let error = Camera::from_degrees(yaw, pitch).unwrap_err();
        assert!(error.0.contains("degrees"), "{}", error.0);
    }
}

#[test]
fn the_catalogue_s_camera_is_the_one_drawn_by_default() {
    let json = serde_json::to_value(crate::lab::plane_catalogue()).unwrap();
    let camera = &json["plane"]["camera"];
    let default = Camera::default();
    let degrees = |v: &serde_json::Value| v.as_f64().unwrap().to_radians();
    assert_eq!(degrees(&camera["yaw"]), default.yaw());
    assert_eq!(degrees(&camera["pitch"]), default.pitch());
    let range = &camera["pitch_range"];
    let lowest = Camera::new(0.0, -1.0).unwrap().pitch();
    let highest = Camera::new(0.0, 2.0).unwrap().pitch();
    assert_eq!((degrees(&range[0]), degrees(&range[1])), (lowest, highest));
}

#[test]
fn heights_are_the_heatmap_s_colour_scale() {
    // The mesh's scale is chosen for and fitted to f on `MESH_SIDE · 4` cells a side, as
    // the heatmap's to its pixels: on the same cells, the two agree on every value, on
    // the log scale (the banana) and the linear one (the saddle).
    for (name, scale) in [("banana", Scale::Log), ("saddle", Scale::Linear)] {
        let s = surface(name);
        let view = s.view();
        let mesh = Mesh::sample(s.as_ref(), view, MESH_SIDE);
        let field = Field::sample(s.as_ref(), view, MESH_SIDE * 4, MESH_SIDE * 4);
        assert_eq!((mesh.scale(), field.scale()), (scale, scale), "{name}");
        for f in [
            -3.0,
            -1.0,
            0.0,
            1e-3,
            0.5,
            7.0,
            300.0,
            1e9,
            f64::INFINITY,
            f64::NAN,
        ] {
            assert_eq!(
                mesh.height(f).to_bits(),
                field.unit(f).to_bits(),
                "{name}: {f}"
            );
        }
        // And the heatmap's pixels are coloured by that height.
        let rgba = field.rgba();
        let width = MESH_SIDE * 4;
        for (row, column) in [(0, 0), (17, 101), (80, 80), (159, 3)] {
            // Image rows run from the top; field rows from y_min.
            let f = field.values[(width - 1 - row) * width + column];
            let pixel = &rgba[4 * (row * width + column)..][..3];
            let expected = colour(mesh.height(f));
            for (got, want) in pixel.iter().zip(expected) {
                assert!(
                    got.abs_diff(want) <= 1,
                    "{name}: {pixel:?} against {expected:?}"
                );
            }
        }
    }
}

#[test]
fn the_saddle_is_drawn_as_a_saddle_not_funnels() {
    // x² − y² over [−2, 2]²: highest at the ends of the x-axis, lowest at the ends of
    // the y-axis, and a parabola along each axis (constant second differences: equal
    // steps of f are equal steps of height), rising along x, falling along y.
    let saddle = surface("saddle");
    let mesh = Mesh::sample(saddle.as_ref(), saddle.view(), MESH_SIDE);
    let n = mesh.side();
    let middle = n / 2;
    let vertices: Vec<(usize, usize, f64)> = (0..=n)
        .flat_map(|j| (0..=n).map(move |i| (i, j)))
        .map(|(i, j)| (i, j, mesh.vertex(i, j).1))
        .collect();
    let extreme = |pick: fn(f64, f64) -> bool| {
        let best = vertices
            .iter()
            .map(|v| v.2)
            .reduce(|a, b| if pick(b, a) { b } else { a })
            .unwrap();
        let mut at: Vec<(usize, usize)> = vertices
            .iter()
            .filter(|v| (v.2 - best).abs() < 1e-12)
            .map(|v| (v.0, v.1))
            .collect();
        at.sort();
        at
    };
    assert_eq!(extreme(|a, b| a > b), [(0, middle), (n, middle)]);
    assert_eq!(extreme(|a, b| a < b), [(middle, 0), (middle, n)]);
    // The vertices average f over their faces, one-sided on the box's edge: the
    // parabola shows inside it.
    let along_x: Vec<f64> = (1..n).map(|i| mesh.vertex(i, middle).1).collect();
    let along_y: Vec<f64> = (1..n).map(|j| mesh.vertex(middle, j).1).collect();
    for (heights, sign) in [(&along_x, 1.0), (&along_y, -1.0)] {
        let second: Vec<f64> = heights
            .windows(3)
            .map(|w| w[2] - 2.0 * w[1] + w[0])
            .collect();
        let expected = sign * second[0].abs();
        assert!(expected.abs() > 1e-4);
        for d in &second {
            assert!((d - expected).abs() < 1e-9, "{second:?}");
        }
    }
    // The saddle point halfway up: f = 0, halfway from −4 to 4.
    assert!((mesh.vertex(middle, middle).1 - 0.5).abs() < 0.01);
}

#[test]
fn a_narrow_valley_s_floor_is_smooth_along_it() {
    // Rosenbrock's floor y = x² is far narrower than a face: on the log scale, f's own
    // heights at the vertices drop wherever a vertex falls near it, and the surface drawn
    // through them ripples along the floor. Averaged over each vertex's face, it ripples
    // by well under as much.
    let rosenbrock = surface("rosenbrock");
    let mesh = Mesh::sample(rosenbrock.as_ref(), rosenbrock.view(), MESH_SIDE);
    let n = mesh.side();
    // The surface along the floor, as drawn: the bilinear interpolation of the heights
    // of each face's corners, filtered or f's own.
    let along = |corner: &dyn Fn(usize, usize) -> f64| -> f64 {
        let points: Vec<f64> = (0..=400)
            .map(|k| -1.0 + 2.7 * k as f64 / 400.0)
            .map(|x| {
                let (u, v) = mesh.unit_square((x, x * x));
                let (s, t) = (u * n as f64, v * n as f64);
                let (i, j) = (s as usize, t as usize);
                let (a, b) = (s - i as f64, t - j as f64);
                (1.0 - b) * ((1.0 - a) * corner(i, j) + a * corner(i + 1, j))
                    + b * ((1.0 - a) * corner(i, j + 1) + a * corner(i + 1, j + 1))
            })
            .collect();
        // Total variation: how far the line climbs and falls in all.
        points.windows(2).map(|w| (w[1] - w[0]).abs()).sum()
    };
    let filtered = along(&|i, j| mesh.vertex(i, j).1);
    let sampled = along(&|i, j| mesh.height(rosenbrock.value(mesh.vertex(i, j).0)));
    assert!(filtered < 0.7 * sampled, "{filtered} against {sampled}");
}

#[test]
fn the_height_axis_is_ticked_at_round_values_of_f() {
    // The banana's decades; the saddle's zero, near the top of its scale from −4.
    for (name, wanted) in [("banana", &[1.0, 10.0, 100.0][..]), ("saddle", &[0.0][..])] {
        let s = surface(name);
        let mesh = Mesh::sample(s.as_ref(), s.view(), MESH_SIDE);
        let (lo, hi) = mesh.range().unwrap();
        let ticks = mesh.ticks();
        assert!(
            (2..=HEIGHT_TICKS).contains(&ticks.len()),
            "{name}: {ticks:?}"
        );
        for pair in ticks.windows(2) {
            assert!(
                pair[1].0 - pair[0].0 >= HEIGHT_TICK_GAP,
                "{name}: {ticks:?}"
            );
        }
        for (h, f) in ticks {
            assert_eq!(*h, mesh.height(*f));
            assert!((lo..=hi).contains(f));
            // One or two significant digits.
            let digits = crate::text::tick(*f)
                .trim_start_matches('-')
                .replace(['.', '0'], "");
            assert!(digits.split('e').next().unwrap().len() <= 2, "{name}: {f}");
        }
        for f in wanted {
            assert!(
                ticks.iter().any(|t| t.1 == *f),
                "{name}: no tick at {f} in {ticks:?}"
            );
        }
    }
    // On the linear scale, plain multiples of one step, evenly spaced in f and height.
    for name in ["saddle", "monkey-saddle"] {
        let s = surface(name);
        let mesh = Mesh::sample(s.as_ref(), s.view(), MESH_SIDE);
        let ticks = mesh.ticks();
        assert!(ticks.len() >= 3, "{name}: {ticks:?}");
        let step = ticks[1].1 - ticks[0].1;
        for pair in ticks.windows(2) {
            assert_eq!(pair[1].1 - pair[0].1, step, "{name}: {ticks:?}");
            let rise = pair[1].0 - pair[0].0;
            assert!((rise - (ticks[1].0 - ticks[0].0)).abs() < 1e-12, "{name}");
        }
        assert!(ticks.iter().all(|t| (t.1 / step).fract() == 0.0), "{name}");
    }
}

#[test]
fn a_legend_names_the_labelled_paths() {
    let banana = surface("banana");
    let t = trajectory(banana.as_ref(), "adam:lr=0.05", banana.start(), 50);
    let mut labelled = style(&t, "adam");
    labelled.label = "adam:lr=0.05";
    let svg = draw(banana.as_ref(), &[labelled], usize::MAX, Camera::default());
    assert!(svg.contains("adam:lr=0.05"));
    let svg = draw(
        banana.as_ref(),
        &[style(&t, "adam")],
        usize::MAX,
        Camera::default(),
    );
    assert!(!svg.contains("adam"));
}

#[test]
fn a_canvas_of_any_size_and_pixel_ratio_is_drawn_without_a_panic() {
    // Sizes a canvas may have while the page lays out, or in a collapsed embed.
    let banana = surface("banana");
    let t = trajectory(banana.as_ref(), "adam:lr=0.05", banana.start(), 50);
    let mut labelled = [style(&t, "adam")];
    labelled[0].label = "adam";
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    for size in [(1, 1), (3, 200), (640, 2), (16, 16)] {
        for ratio in [0.0, 1.0, f64::NAN, 1e9] {
            let layout = Layout::new(size.0, size.1, ratio, MARGINS_3D);
            svg(size, |area| {
                surface3d(
                    area,
                    &layout,
                    banana.as_ref(),
                    &mesh,
                    &[style(&t, "adam")],
                    10,
                    Camera::default(),
                )?;
                surface3d(
                    area,
                    &layout,
                    banana.as_ref(),
                    &mesh,
                    &labelled,
                    usize::MAX,
                    Camera::default(),
                )
            });
        }
    }
}

#[test]
fn height_labels_keep_their_distance_roundest_first() {
    use super::axes::spaced;
    let ticks = [
        (0.0, 0.0),
        (0.05, 0.001),
        (0.1, 0.1),
        (0.3, 1.0),
        (0.35, 2.0),
        (0.6, 10.0),
    ];
    assert_eq!(spaced(&ticks, 0.2), [(0.0, 0.0), (0.3, 1.0), (0.6, 10.0)]);
    assert_eq!(spaced(&ticks, 0.0), ticks, "room for every label: all stay");
    assert_eq!(
        spaced(&ticks, 2.0),
        [(0.0, 0.0)],
        "room for one: the roundest"
    );
}

#[test]
fn a_small_box_labels_fewer_heights_than_a_large_one() {
    // The banana at 480×270 with text one and a half times its size (an embed on a
    // projector), against 960×720: fewer labels on the height axis, none crowded.
    let banana = from_spec(&Spec::named("banana")).unwrap();
    let mesh = Mesh::sample(banana.as_ref(), banana.view(), MESH_SIDE);
    let texts = |width: u32, height: u32, ratio: f64| {
        let layout = Layout::new(width, height, ratio, MARGINS_3D);
        let camera = Camera::from_degrees(-35.0, 35.0).unwrap();
        svg((width, height), |area| {
            surface3d(area, &layout, banana.as_ref(), &mesh, &[], 0, camera)
        })
        .matches("<text")
        .count()
    };
    assert!(texts(720, 405, 1.5) < texts(960, 720, 1.0));
}
