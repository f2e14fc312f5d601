import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { chunks } from '../test/helpers';
import { readArticles } from './read-articles';
import { readCustomers } from './read-customers';
import { readTransactions } from './read-transactions';
import { loadDataset } from './dataset';
import { parseIsoDay } from './days';
import { RecsysParseError } from './errors';

const C1 = '00000dbacae5abe5e23885899a1fa44253a17956c6d1c3d25f88aa139fdfc657';
const C2 = '0000423b00ade91418cceaf3b26c6af3dd342b51fd051eec9c12fb36984420fa';
const C3 = 'ffffd9ac14e89946416d80e791d064701994755c3ab686a1eaf3458c36f52241';

const transactions =
  't_dat,customer_id,article_id,price,sales_channel_id\n' +
  `2018-09-20,${C1},0663713001,0.050830508474576264,2\n` +
  `2018-09-20,${C1},541518023,0.03049152542372881,2\n` +
  `2018-09-21,${C2},0505221004,0.015237288135593221,2\n` +
  `2018-09-21,${C3},0663713001,1e-2,1\n`;

describe('readTransactions', () => {
  it.each([3, 50, 1 << 20])(
    'streams rows into typed arrays, padding 9-digit article ids (chunks of %i)',
    async (size) => {
      const r = await readTransactions(chunks(transactions, size));
      expect(r.summary).toMatchObject({ rows: 4, skipped: 0, file: 'transactions_train.csv' });
      expect(r.transactions.length).toBe(4);
      expect(Array.from(r.transactions.customer)).toEqual([0, 0, 1, 2]);
      expect(Array.from(r.transactions.article)).toEqual([0, 1, 2, 0]);
      expect(Array.from(r.transactions.day)).toEqual([17794, 17794, 17795, 17795]);
      expect(r.articles.id(1)).toBe('0541518023');
      expect(r.customers.id(2)).toBe(C3);
      expect([r.firstDay, r.lastDay]).toEqual([parseIsoDay('2018-09-20'), parseIsoDay('2018-09-21')]);
      expect([r.newCustomers, r.newArticles]).toEqual([3, 3]);
    },
  );

  it('reports progress after each chunk', async () => {
    const seen: number[][] = [];
    await readTransactions(chunks(transactions, 100), {
      onProgress: (rows, bytes) => seen.push([rows, bytes]),
    });
    expect(seen.length).toBe(Math.ceil(Buffer.byteLength(transactions) / 100));
    expect(seen[seen.length - 1]).toEqual([4, Buffer.byteLength(transactions)]);
  });

  it('finds columns by name', async () => {
    const r = await readTransactions(chunks(`article_id,t_dat,customer_id\n123,2020-01-02,abc\n`, 7));
    expect(r.articles.id(0)).toBe('0000000123');
    expect(r.customers.id(0)).toBe('abc');
  });

  it('reports file and line of a malformed row; lenient mode counts and skips', async () => {
    const bad =
      transactions +
      `2018-09-31,${C1},0663713001,0.05,2\n` +
      `2018-09-22,${C1},06637130x1,0.05,2\n` +
      `2018-09-22,${C1},0663713001,0.05\n` +
      `2018-09-22,,0663713001,0.05,2\n` +
      `2018-09-22,${C1},0663713001,abc,2\n` +
      `2018-09-22,${C2},0663713001,0.05,2\n`;
    await expect(readTransactions(chunks(bad, 64), { file: 'tx.csv' })).rejects.toThrow(
      new RecsysParseError('tx.csv', 6, 't_dat is not a date (YYYY-MM-DD): "2018-09-31"'),
    );
    const r = await readTransactions(chunks(bad, 64), { file: 'tx.csv', lenient: true });
    expect(r.transactions.length).toBe(5);
    expect(r.summary.skipped).toBe(5);
    expect(r.summary.issues).toEqual([
      'tx.csv:6: t_dat is not a date (YYYY-MM-DD): "2018-09-31"',
      'tx.csv:7: article_id is not 1-10 digits: "06637130x1"',
      'tx.csv:8: expected 5 fields, found 4',
      'tx.csv:9: invalid customer_id ""',
      'tx.csv:10: price is not a number: "abc"',
    ]);
  });

  it('rejects a header without the required columns', async () => {
    await expect(readTransactions(chunks('t_dat,customer\n', 5), { lenient: true })).rejects.toThrow(
      'transactions_train.csv:1: header lacks columns customer_id, article_id',
    );
  });
});

describe('readCustomers and readArticles', () => {
  it('reads customers in file order with empty columns, rejecting duplicates', async () => {
    const text =
      'customer_id,FN,Active,club_member_status,fashion_news_frequency,age,postal_code\n' +
      `${C1},,,ACTIVE,NONE,49,52043ee2162cf5aa7ee79974281641c6f11a68d276429a91f8ca0d4b6efa8100\n` +
      `${C2},1.0,1.0,ACTIVE,Regularly,,2c29ae653a9282cce4151bd87643c907644e09541abc28ae87dea0d1f6603b1c\n` +
      `${C1},,,ACTIVE,NONE,49,x\n`;
    await expect(readCustomers(chunks(text, 9))).rejects.toThrow(
      `customers.csv:4: duplicate customer_id ${C1}`,
    );
    const r = await readCustomers(chunks(text, 9), { lenient: true });
    expect(r.customers.size).toBe(2);
    expect(r.customers.id(1)).toBe(C2);
    expect(r.summary.skipped).toBe(1);
  });

  it('reads articles with quoted commas and keeps attribute columns', async () => {
    const text =
      'article_id,product_code,prod_name,product_type_name,colour_group_name,graphical_appearance_name,detail_desc\n' +
      '0108775015,108775,Strap top,Vest top,Black,Solid,"Jersey top with narrow shoulder straps, and ""fun"" details."\n' +
      '108775044,108775,"Strap top, 2-pack",Vest top,White,Solid,"Multi\nline"\n';
    const r = await readArticles(chunks(text, 11));
    expect(r.articles.size).toBe(2);
    expect(r.articles.id(1)).toBe('0108775044');
    expect(r.attributes).toEqual({
      prod_name: ['Strap top', 'Strap top, 2-pack'],
      product_type_name: ['Vest top', 'Vest top'],
      graphical_appearance_name: ['Solid', 'Solid'],
      colour_group_name: ['Black', 'White'],
    });
  });

  it('loadDataset lists customers.csv and articles.csv first and appends the unlisted', async () => {
    const { dataset, report } = await loadDataset({
      articles: chunks('article_id,prod_name\n0505221004,x\n0999999999,new\n', 8),
      customers: chunks(`customer_id,age\n${C2},20\n${C1},30\n`, 8),
      transactions: chunks(transactions, 8),
    });
    expect(dataset.listedCustomers).toBe(2);
    expect(dataset.listedArticles).toBe(2);
    expect(dataset.customers.id(2)).toBe(C3);
    expect(dataset.articles.id(1)).toBe('0999999999');
    expect(dataset.articles.size).toBe(4);
    expect(report).toMatchObject({ unlistedCustomers: 1, unlistedArticles: 2 });
    expect(report.files.map((f) => f.rows)).toEqual([2, 2, 4]);
  });

  it('loadDataset opens paths, gunzipping .gz files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-load-'));
    fs.writeFileSync(path.join(dir, 'transactions_train.csv.gz'), zlib.gzipSync(transactions));
    const { dataset, report } = await loadDataset({
      transactions: path.join(dir, 'transactions_train.csv.gz'),
    });
    expect(dataset.transactions.length).toBe(4);
    expect(report.files[0]!.file).toBe(path.join(dir, 'transactions_train.csv.gz'));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('explicit handling of doubtful transactions (issue 11)', () => {
  it('rejects a negative price (−0 is fine), or skips and counts it when lenient', async () => {
    const text =
      't_dat,customer_id,article_id,price,sales_channel_id\n' +
      `2018-09-20,${C1},0663713001,-0.0,2\n` +
      `2018-09-20,${C1},0663713001,-0.01,2\n`;
    await expect(readTransactions(chunks(text, 16))).rejects.toThrow(
      'transactions_train.csv:3: price is negative: "-0.01"',
    );
    const r = await readTransactions(chunks(text, 16), { lenient: true });
    expect(r.summary).toMatchObject({ rows: 1, skipped: 1 });
  });

  it('with articles.csv as the catalogue, a sale of an unknown article is a malformed row naming the file', async () => {
    const options = {
      articles: chunks('article_id,prod_name\n0663713001,x\n', 8),
      customers: chunks(`customer_id\n${C1}\n`, 8),
      transactions: chunks(
        `t_dat,customer_id,article_id,price,sales_channel_id\n2018-09-20,${C1},0663713001,0.05,2\n2018-09-21,${C1},0999999999,0.05,2\n`,
        8,
      ),
      names: { transactions: 's3://hm/transactions.csv', articles: 's3://hm/articles.csv' },
      knownArticlesOnly: true,
    };
    await expect(loadDataset(options)).rejects.toThrow(
      's3://hm/transactions.csv:3: article_id 0999999999 is not in articles.csv',
    );
    const lenient = await loadDataset({
      ...options,
      articles: chunks('article_id,prod_name\n0663713001,x\n', 8),
      customers: chunks(`customer_id\n${C1}\n`, 8),
      transactions: chunks(
        `t_dat,customer_id,article_id,price,sales_channel_id\n2018-09-20,${C1},0663713001,0.05,2\n2018-09-21,${C1},0999999999,0.05,2\n`,
        8,
      ),
      lenient: true,
    });
    expect(lenient.dataset.articles.size).toBe(1);
    expect(lenient.report.files.map((f) => [f.file, f.skipped])).toEqual([
      ['s3://hm/articles.csv', 0],
      ['customers.csv', 0],
      ['s3://hm/transactions.csv', 1],
    ]);
  });

  it('names the file given for an open source in parse errors', async () => {
    await expect(
      loadDataset({
        transactions: chunks('t_dat,customer_id\n', 8),
        names: { transactions: 'file:///data/tx.csv' },
      }),
    ).rejects.toThrow(/^file:\/\/\/data\/tx\.csv:1: header lacks column article_id/);
  });
});
