/** Product names and descriptions in H&M's style ("Jade HW Skinny Denim TRS", "Top in soft cotton jersey, …"). */
import type { Rng } from './random';
import type { PatternKind, ProductType, Silhouette } from './vocab';

const GIVEN_NAMES = [
  'Jade',
  'Tilly',
  'Luna',
  'Kim',
  'Perrie',
  'Mika',
  'Ellie',
  'Nora',
  'Alva',
  'Stella',
  'Ivy',
  'Molly',
  'Ruby',
  'Maja',
  'Elsa',
  'Freja',
  'Ida',
  'Vera',
  'Sienna',
  'Mia',
  'Zoe',
  'Lola',
  'Cleo',
  'Nova',
  'Iris',
  'Hazel',
  'Greta',
  'Tove',
  'Linn',
  'Saga',
  'Wilma',
  'Ebba',
  'Astrid',
  'Selma',
  'Juno',
  'Mira',
  'Ronja',
  'Lexi',
  'Billie',
  'Frankie',
  'Oscar',
  'Hugo',
  'Liam',
  'Noah',
  'Leo',
  'Axel',
  'Elis',
  'Theo',
  'Malte',
  'Sixten',
  'Ludde',
  'Vince',
  'Jonas',
  'Felix',
  'Arvid',
  'Milo',
  'Otto',
  'Sam',
  'Charlie',
  'Robin',
  'Alex',
  'Kit',
  'Harper',
  'Skye',
  'Rio',
  'Bo',
  'Marley',
  'Tess',
  'Fiona',
  'Paris',
  'Madison',
  'Brooklyn',
  'Dakota',
  'Savannah',
  'Sydney',
  'Geneva',
  'Siena',
];

const DESCRIPTORS: Record<Silhouette, readonly string[]> = {
  tshirt: ['tee', 'T-shirt', 'Basic tee', 'Boxy tee', 'Fitted top', 'Top', 'SS top', 'Crop top'],
  vest: ['Vest top', 'Strap top', 'Tank', 'Singlet', 'Cami top'],
  longsleeve: ['Sweater', 'Jumper', 'Knit sweater', 'LS top', 'Rib sweater', 'Oversized sweater'],
  shirt: [
    'Shirt',
    'Blouse',
    'Oxford shirt',
    'Linen shirt',
    'Regular fit shirt',
    'Slim fit shirt',
    'Puff blouse',
  ],
  hoodie: ['Hoodie', 'Hood top', 'Zip hoodie', 'Oversized hoodie'],
  cardigan: ['Cardigan', 'Cardi', 'Knit cardigan', 'Short cardigan'],
  jacket: ['Jacket', 'Denim jacket', 'Bomber', 'Blazer', 'Padded jacket', 'Shirt jacket', 'Biker'],
  coat: ['Coat', 'Wool-blend coat', 'Parka', 'Trenchcoat', 'Long coat', 'Puffer coat'],
  dress: ['Dress', 'Midi dress', 'Maxi dress', 'Wrap dress', 'Slip dress', 'Shirt dress', 'Jersey dress'],
  skirt: ['Skirt', 'Midi skirt', 'Pleated skirt', 'Mini skirt', 'A-line skirt'],
  trousers: [
    'HW Skinny TRS',
    'Slim Mom TRS',
    'Wide TRS',
    'Regular TRS',
    'Cargo TRS',
    'Chino',
    'Straight TRS',
    'Denim TRS',
  ],
  leggings: ['Leggings', 'Tights', 'Sport leggings', 'Treggings'],
  shorts: ['Shorts', 'Denim shorts', 'Cargo shorts', 'Chino shorts', 'Bermuda', 'Sweatshorts'],
  swimsuit: ['Swimsuit', 'Bathing suit', 'Cut-out swimsuit'],
  bikini: ['Bikini top', 'Padded top', 'Triangle top', 'Bandeau'],
  swimbottom: ['Bikini bottom', 'Swim brief', 'Swim shorts', 'Tanga swim'],
  bra: ['Push up bra', 'Bubble Bum Bra', 'Soft bra', 'Sports bra', 'Bralette', 'Triangle bra'],
  briefs: ['Brief', 'Timeless Midrise Brief', 'Thong', 'Hipster', 'Boxer 3p', 'Trunk 3p'],
  socks: ['Socks 5p', 'Ankle socks', 'Sport socks 3p', 'Trainer socks', 'Knee socks'],
  tights: ['Tights 20 den', 'Tights 40 den', 'Shaping tights', 'Fishnet tights'],
  bag: ['Shopper', 'Shoulder bag', 'Backpack', 'Crossbody bag', 'Tote', 'Bum bag'],
  sneaker: ['Sneaker', 'Trainers', 'Chunky sneaker', 'Canvas sneaker', 'Runner'],
  boot: ['Boot', 'Chelsea boot', 'Ankle boot', 'Biker boot', 'Knee boot'],
  sandal: ['Sandal', 'Slide', 'Flip flop', 'Strap sandal', 'Platform sandal'],
  hat: ['Beanie', 'Cap', 'Bucket hat', 'Rib beanie', 'Knit hat'],
  scarf: ['Scarf', 'Knit scarf', 'Woven scarf', 'Pashmina'],
};

const FABRICS: Record<Silhouette, readonly string[]> = {
  tshirt: [
    'soft cotton jersey',
    'organic cotton jersey',
    'slub jersey',
    'fine-knit jersey',
    'rib-knit modal blend',
  ],
  vest: ['ribbed jersey', 'soft viscose jersey', 'cotton jersey', 'satin'],
  longsleeve: [
    'a soft, fine knit containing some wool',
    'chunky rib knit',
    'soft cotton-blend knit',
    'fine-knit cashmere blend',
  ],
  shirt: ['woven cotton fabric', 'airy linen', 'crêpe weave', 'Oxford cotton', 'soft, woven viscose'],
  hoodie: ['sweatshirt fabric', 'soft, brushed sweatshirt fabric', 'organic cotton sweatshirt fabric'],
  cardigan: ['a soft, loose knit', 'rib-knit cotton', 'a fine knit containing some wool'],
  jacket: [
    'cotton twill',
    'washed denim',
    'padded, woven fabric',
    'imitation leather',
    'woven fabric with a slight sheen',
  ],
  coat: ['a felted wool blend', 'water-repellent, woven fabric', 'a soft, woven fabric', 'padded nylon'],
  dress: ['woven fabric', 'soft jersey', 'airy, crinkled viscose', 'satin', 'rib-knit jersey'],
  skirt: ['woven fabric', 'pleated chiffon', 'washed denim', 'satin', 'faux suede'],
  trousers: [
    'stretch denim',
    'washed, rigid denim',
    'woven fabric',
    'cotton twill',
    'soft, lyocell-blend fabric',
  ],
  leggings: ['soft jersey', 'fast-drying functional fabric', 'rib-knit jersey', 'stretch fabric'],
  shorts: ['washed denim', 'cotton twill', 'sweatshirt fabric', 'airy linen blend'],
  swimsuit: ['a recycled polyamide blend', 'ribbed fabric', 'shimmering fabric'],
  bikini: ['a recycled polyamide blend', 'textured fabric', 'ribbed fabric'],
  swimbottom: ['a recycled polyamide blend', 'textured fabric', 'quick-drying fabric'],
  bra: ['microfibre', 'lace', 'soft jersey', 'fast-drying functional fabric'],
  briefs: ['cotton jersey', 'microfibre', 'lace', 'soft modal jersey'],
  socks: ['a soft, fine-knit cotton blend', 'rib-knit cotton', 'a fine knit'],
  tights: ['a fine, matt knit', 'sheer, matt fabric', 'a soft, opaque knit'],
  bag: ['imitation leather', 'cotton canvas', 'grained imitation leather', 'recycled polyester'],
  sneaker: ['canvas', 'imitation leather', 'mesh and imitation suede'],
  boot: ['imitation leather', 'imitation suede', 'leather'],
  sandal: ['imitation leather', 'braided straps', 'rubber'],
  hat: ['a soft rib knit', 'cotton twill', 'a knit containing some wool'],
  scarf: ['a soft, fine knit', 'woven fabric', 'a chunky knit'],
};

const DETAILS: Record<Silhouette, readonly (readonly string[])[]> = {
  tshirt: [
    ['a round neckline', 'a V-neck', 'a boat neck'],
    ['short sleeves', 'dropped shoulders and short sleeves', 'cap sleeves'],
    ['a straight-cut hem', 'a rounded hem', 'a cropped, raw-edge hem'],
  ],
  vest: [
    ['a deep neckline', 'a square neckline', 'a racer back'],
    ['narrow, adjustable shoulder straps', 'wide shoulder straps'],
    ['a straight-cut hem', 'a slightly longer back'],
  ],
  longsleeve: [
    ['a round neckline', 'a high collar', 'a V-neck'],
    ['long sleeves', 'dropped shoulders and long, wide sleeves', 'long raglan sleeves'],
    ['ribbing around the neckline, cuffs and hem', 'a straight-cut hem'],
  ],
  shirt: [
    ['a collar', 'a turn-down collar', 'a grandad collar', 'a V-neck'],
    ['buttons down the front', 'a concealed button placket'],
    ['long sleeves with buttoned cuffs', 'long, wide sleeves', 'short puff sleeves'],
  ],
  hoodie: [
    ['a lined, drawstring hood', 'a double-layered hood'],
    ['a kangaroo pocket', 'a zip down the front and side pockets'],
    ['ribbing at the cuffs and hem', 'dropped shoulders'],
  ],
  cardigan: [
    ['a V-neck', 'a round neckline'],
    ['buttons down the front', 'no fastening'],
    ['long sleeves', 'dropped shoulders'],
    ['ribbing around the neckline, cuffs and hem'],
  ],
  jacket: [
    ['a collar', 'notch lapels', 'a stand-up collar'],
    ['buttons down the front', 'a zip down the front', 'a single-breasted fastening'],
    ['flap chest pockets', 'welt side pockets', 'side pockets'],
  ],
  coat: [
    ['notch lapels', 'a detachable hood', 'a wide collar'],
    ['a double-breasted fastening', 'a zip and press-studs down the front', 'concealed buttons'],
    ['welt side pockets', 'flap side pockets'],
    ['a single back vent', 'a tie belt at the waist'],
  ],
  dress: [
    ['a V-neck', 'a square neckline', 'a round neckline'],
    ['short puff sleeves', 'narrow shoulder straps', 'long sleeves', 'no sleeves'],
    [
      'a seam at the waist and a flared skirt',
      'a tie belt at the waist',
      'a gently flared skirt',
      'a slit at the side of the hem',
    ],
  ],
  skirt: [
    ['a high waist', 'an elasticated waist', 'a wide waistband'],
    ['a concealed zip', 'buttons down the front', 'a side zip'],
    ['a gently flared hem', 'a slit at the front', 'a raw-edge hem'],
  ],
  trousers: [
    ['a high waist', 'a regular waist', 'an elasticated, drawstring waist'],
    ['a zip fly and button', 'a concealed hook-and-eye fastener'],
    ['side pockets and welt back pockets', 'five pockets', 'cargo pockets on the legs'],
    ['skinny legs', 'wide, straight legs', 'tapered legs', 'slim legs'],
  ],
  leggings: [
    ['a high, wide waistband', 'an elasticated waist'],
    ['a concealed key pocket', 'a wide waistband and flat seams'],
    ['ankle-length legs', 'full-length legs'],
  ],
  shorts: [
    ['a high waist', 'an elasticated, drawstring waist', 'a regular waist'],
    ['side pockets', 'five pockets', 'welt back pockets'],
    ['raw-edge hems', 'turn-ups at the hems', 'wide legs'],
  ],
  swimsuit: [
    ['a scooped neckline', 'a V-neck', 'one shoulder'],
    ['narrow, adjustable shoulder straps', 'a low back'],
    ['medium bum coverage', 'high-cut legs'],
  ],
  bikini: [
    ['moulded, padded cups', 'non-padded cups', 'removable inserts'],
    ['adjustable shoulder straps', 'ties at the neck and back'],
    ['a hook-and-eye fastening at the back'],
  ],
  swimbottom: [
    ['a low waist', 'a high waist', 'a regular waist'],
    ['ties at the sides', 'a lined gusset'],
    ['high-cut legs', 'medium coverage at the back'],
  ],
  bra: [
    ['underwired, moulded, padded cups', 'soft, non-wired cups', 'triangle cups'],
    ['adjustable shoulder straps', 'wide, cross-back straps'],
    ['a hook-and-eye fastening at the back', 'a wide elastic hem'],
  ],
  briefs: [
    ['a low waist', 'a medium waist', 'a high waist'],
    ['a lined gusset', 'lace trims'],
    ['medium coverage at the back', 'full coverage at the back'],
  ],
  socks: [
    ['ribbed tops', 'elasticated tops'],
    ['cushioned soles', 'reinforced heels and toes'],
    ['anti-slip protection', 'a soft, fine weave'],
  ],
  tights: [
    ['an elasticated waist', 'a high, shaping waist'],
    ['a reinforced gusset', 'reinforced toes'],
    ['a matt finish', 'a sheer finish'],
  ],
  bag: [
    ['two handles', 'an adjustable shoulder strap', 'a detachable strap'],
    ['a zip at the top', 'a magnetic fastener', 'a flap with a press-stud'],
    ['an inner compartment', 'an inner zipped pocket'],
  ],
  sneaker: [
    ['lacing at the front', 'a loop at the back'],
    ['fabric linings and insoles', 'padded tops'],
    ['chunky rubber soles', 'rubber soles'],
  ],
  boot: [
    ['elastic gores in the sides', 'a zip in one side', 'lacing at the front'],
    ['a loop at the back', 'fabric linings and insoles'],
    ['chunky, patterned soles', 'covered block heels'],
  ],
  sandal: [
    ['narrow straps', 'a toe post', 'a wide strap over the foot'],
    ['an adjustable ankle strap', 'a buckle'],
    ['moulded soles', 'platform soles'],
  ],
  hat: [
    ['a wide, turn-up brim', 'a peak', 'a soft, rounded crown'],
    ['a ribbed finish', 'an appliqué at the front'],
    ['a faux fur pompom on top', 'an adjustable strap at the back'],
  ],
  scarf: [
    ['fringes at the short ends', 'raw edges'],
    ['a soft finish', 'a brushed finish'],
    ['a woven pattern', 'a rib knit'],
  ],
};

const PRINT_WORDS = [
  'LOVE',
  'PARIS',
  'NEW YORK',
  'SUMMER',
  'DREAM',
  'STOCKHOLM',
  'CALIFORNIA',
  'GOOD VIBES',
  'SUNSHINE',
  'BROOKLYN',
];

const PATTERN_SENTENCE: Record<PatternKind, readonly string[]> = {
  solid: [''],
  allover: ['Patterned all over, with a small floral print.', 'All-over print, in a soft, matt finish.'],
  melange: ['Marled, in a soft, slightly brushed quality.'],
  stripe: [
    'Striped, with narrow ribbing around the neckline.',
    'Block-striped, in a soft, lightweight quality.',
  ],
  denim: ['Washed denim, with a slightly faded look.'],
  frontprint: ['Printed motif at the front.', 'Printed text "{WORD}" at the front, in a contrasting colour.'],
  placement: [
    'Printed motif on one side of the chest.',
    'Small printed design at the back, and text "{WORD}" on the chest.',
  ],
  check: ['Checked, in a brushed, soft quality.', 'Check pattern, with a woven finish.'],
  dot: ['Spotted, with small dots all over.'],
  block: ['Colour-block design, with contrasting panels.'],
  lace: ['Lace, with scalloped edges.'],
  jacquard: ['Jacquard-knit pattern, with a subtle sheen.'],
  glitter: ['Glittery, with a metallic shimmer.', 'Metallic finish, with a slight sparkle.'],
  embroidery: ['Embroidered details at the front.', 'Embroidered flowers, in a contrasting colour.'],
  treatment: ['Washed, with a slightly worn look.'],
  mesh: ['Mesh, with a sheer, airy finish.'],
  structure: ['Textured, with a structured, waffled finish.'],
  transparent: ['Sheer, with a semi-transparent finish.'],
};

/** "Jade HW Skinny Denim TRS", "Tilly (1)", "Tank": one name per product code. */
export function productName(rng: Rng, type: ProductType, kind: PatternKind): string {
  let descriptor = rng.pick(DESCRIPTORS[type.silhouette]);
  if (kind === 'denim' && !/denim/i.test(descriptor) && type.silhouette === 'trousers')
    descriptor = descriptor.replace('TRS', 'Denim TRS');
  const name = rng.pick(GIVEN_NAMES);
  const form = rng.float();
  if (form < 0.55) return `${name} ${descriptor}`;
  if (form < 0.75) return `${descriptor} ${name}`;
  if (form < 0.85) return `${name} (${rng.intBetween(1, 3)})`;
  return descriptor;
}

/**
 * "Top in soft cotton jersey with a round neckline, short sleeves and a rounded hem. Printed motif at the front."
 * Always contains a comma (the CSV writer must quote it); some contain double quotes.
 */
export function productDescription(rng: Rng, type: ProductType, kind: PatternKind): string {
  const noun =
    type.name === 'Leggings/Tights'
      ? 'Leggings'
      : type.name === 'Underwear bottom'
        ? 'Briefs'
        : type.name === 'Hat/beanie'
          ? 'Hat'
          : type.name;
  const fabric = rng.pick(FABRICS[type.silhouette]);
  const parts = DETAILS[type.silhouette].map((options) => rng.pick(options));
  const last = parts.pop() as string;
  const details = parts.length > 0 ? `${parts.join(', ')} and ${last}` : last;
  let text = `${noun} in ${fabric} with ${details}.`;
  if (!text.includes(',')) text = `${noun} in ${fabric}, with ${details}.`;
  const pattern = rng.pick(PATTERN_SENTENCE[kind]).replace('{WORD}', rng.pick(PRINT_WORDS));
  return pattern ? `${text} ${pattern}` : text;
}
