export declare function bundle(entry: string, outfile: string, options?: { shebang?: boolean; split?: boolean }): Promise<void>;
