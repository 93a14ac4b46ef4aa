CREATE TABLE users (id int);
CREATE INDEX u ON users(id);
CREATE TABLE orders (id int);
CREATE TABLE items (id int);
