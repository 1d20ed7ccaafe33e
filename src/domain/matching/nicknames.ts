/**
 * Given names that English-speaking agencies commonly record interchangeably for one person:
 * formal names with their usual short forms, and spelling variants that are the same name. Each
 * line is one group; a name may sit in several groups ("Ellie" can be Eleanor, Ellen or
 * Elizabeth). Hand-written and deliberately modest.
 */
const GROUPS: readonly string[] = [
  'abigail abby abbie abi gail',
  'alexander alex alec alexandr sandy xander lex',
  'alexandra alex alexa lexi lexie sandra sasha',
  'alfred alfie alf fred',
  'amelia amy millie mia',
  'andrew andy drew',
  'ann anne anna annie nan nancy',
  'anthony antony tony ant',
  'archibald archie',
  'benjamin ben benji benny',
  'catherine katherine kathryn catharine kate katie kathy cathy kat kitty katy',
  'charles charlie chas chuck',
  'charlotte charlie lottie lotte',
  'christopher chris kit topher',
  'christine christina chris chrissie tina',
  'daniel dan danny',
  'david dave davey davy',
  'deborah debbie debra deb',
  'dorothy dot dotty',
  'edward ed eddie eddy ted teddy ned',
  'edmund ed eddie ned',
  'eleanor elinor ellie elle nell nora',
  'elizabeth liz lizzie lizzy beth betty bess bessie eliza libby ellie elsie',
  'ellen ellie nell',
  'emily em emmy millie',
  'emma em emmy',
  'evelyn evie eve',
  'florence flo florrie',
  'frances fran frankie francesca',
  'francis frank frankie',
  'frederick fred freddie freddy',
  'gabriel gabe',
  'gabriella gabrielle gabby gabi',
  'george georgie',
  'georgina georgia georgie',
  'gregory greg',
  'harold harry hal',
  'henry harry hal hank',
  'isabella isabel isobel isabelle bella izzy issy',
  'jacob jake',
  'james jim jimmy jamie',
  'jennifer jen jenny',
  'jessica jess jessie',
  'john jack johnny jon',
  'jonathan jon jonny johnny',
  'joseph joe joey',
  'josephine jo josie',
  'joshua josh',
  'kenneth ken kenny',
  'lawrence laurence larry laurie',
  'leonard leo len lenny',
  'louis lewis lou',
  'louise louisa lou lulu',
  'margaret maggie meg peggy marge madge',
  'mary molly polly',
  'matthew matt matty',
  'maximilian maxwell max',
  'michael mike mikey mick micky mickey',
  'muhammad mohammed mohammad mohamed muhammed mohamad mo',
  'nathan nathaniel nat nate',
  'nicholas nick nicky',
  'nicola nicky nikki',
  'oliver ollie olly',
  'olivia liv livvy',
  'patricia pat patty trish',
  'patrick pat paddy',
  'penelope penny',
  'peter pete',
  'philip phillip phil pip',
  'rebecca becky becca bex',
  'reginald reg reggie',
  'richard rick ricky dick rich richie',
  'robert rob bob bobby robbie bert',
  'ronald ron ronnie',
  'samuel sam sammy',
  'samantha sam sammie',
  'sarah sara sally sadie',
  'sophia sophie soph',
  'stephen steven steve stevie',
  'susan suzanne sue susie suzy',
  'terence terry',
  'theodore theo ted teddy',
  'thomas tom tommy',
  'timothy tim timmy',
  'tobias toby',
  'victoria vicky vikki tori',
  'wilfred wilf',
  'william bill billy will willy liam',
  'zachary zach zack',
];

function buildIndex(groups: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  groups.forEach((line, groupId) => {
    for (const name of line.split(' ')) {
      const ids = index.get(name);
      if (ids) ids.push(groupId);
      else index.set(name, [groupId]);
    }
  });
  return index;
}

const INDEX = buildIndex(GROUPS);

/** The first (formal) name of every group `name` belongs to; empty when it is in none. */
export function formalNamesFor(name: string): string[] {
  const ids = INDEX.get(name);
  if (!ids) return [];
  return ids.map((id) => GROUPS[id]!.slice(0, GROUPS[id]!.indexOf(' ')));
}

/** True when two normalised given names are recorded interchangeably (share a group). */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const idsA = INDEX.get(a);
  if (!idsA) return false;
  const idsB = INDEX.get(b);
  if (!idsB) return false;
  for (const id of idsA) if (idsB.includes(id)) return true;
  return false;
}
