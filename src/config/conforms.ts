/**
 * `Conforms<Parsed, Shape>` is `Parsed`, and compiles only when `Parsed` (a type the config schema
 * infers) gives everything the domain's `Shape` reads. The domain declares the settings it needs
 * and imports nothing from here; each section exports its type through this check, so the schema
 * and the domain's shapes cannot drift apart.
 */
export type Conforms<Parsed extends Shape, Shape> = Parsed;
