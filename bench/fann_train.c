/*
 * fann_train.c - the same training with FANN (double build): 784-90-10,
 * sigmoid (FANN_SIGMOID at steepness 0.5 is 1/(1+e^-x)), batch gradient
 * descent on 20 samples at a time (FANN_TRAIN_BATCH over subsets of 20),
 * learning rate 0.1, synthetic data.  usage: fann_train SECONDS
 */
#include <doublefann.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROWS  2000
#define BATCH 20

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time */
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    struct fann *ann = fann_create_standard(3, 784, 90, 10);
    fann_set_activation_function_hidden(ann, FANN_SIGMOID);
    fann_set_activation_function_output(ann, FANN_SIGMOID);
    fann_set_activation_steepness_hidden(ann, 0.5);
    fann_set_activation_steepness_output(ann, 0.5);
    fann_set_training_algorithm(ann, FANN_TRAIN_BATCH);
    fann_set_learning_rate(ann, 0.1f);
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_seed_rand();
    srand(42);
    fann_randomize_weights(ann, -0.1, 0.1);
    struct fann_train_data *data = fann_create_train(ROWS, 784, 10);
    for (int r = 0; r < ROWS; r++) {
        for (int i = 0; i < 784; i++)
            data->input[r][i] = (double)rand() / RAND_MAX;
        int label = rand() % 10;
        for (int k = 0; k < 10; k++)
            data->output[r][k] = k == label ? 1.0 : 0.0;
    }
    struct fann_train_data *batches[ROWS / BATCH];
    for (int b = 0; b < ROWS / BATCH; b++)
        batches[b] = fann_subset_train_data(data, (unsigned)(b * BATCH), BATCH);
    long samples = 0;
    int step = 0;
    double t0 = now(), t;
    do {
        for (int k = 0; k < 10; k++) {
            fann_train_epoch(ann, batches[step % (ROWS / BATCH)]);
            step++;
            samples += BATCH;
        }
        t = now() - t0;
    } while (t < seconds);
    printf("%.1f samples/s\n", samples / t);
    for (int b = 0; b < ROWS / BATCH; b++)
        fann_destroy_train(batches[b]);
    fann_destroy_train(data);
    fann_destroy(ann);
    return 0;
}
